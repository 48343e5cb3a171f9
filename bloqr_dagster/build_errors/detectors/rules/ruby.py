"""Ruby's Bundler (Jekyll and other Ruby site generators), PHP's Composer and Debian's apt: the other package
managers a build installs with. (Their network failures are in rules/network.py.)"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

DETECTOR = Detector("bundler", "bundler", (
    rule("bundler-install", "dependency_install_failed",
         r"There was an error parsing .Gemfile.|Could not find gem |Bundler::GemNotFound"
         r"|An error occurred while installing .+, and Bundler cannot continue"
         r"|Your Ruby version is .+, but your Gemfile specified|Could not locate Gemfile",
         "gemfile", "could not find gem", "bundler", priority=70),
    rule("bundler-resolve", "dependency_install_failed",
         r"Bundler could not find compatible versions for gem|Gem::Ext::BuildError|Failed to build gem native extension"
         r"|Make sure that `gem install [^`\n]{1,200}` succeeds before bundling|Could not find [\w.-]{1,100}-\d[\w.-]{0,40}"
         r" in (?:any of the sources|locally installed gems|rubygems repository)|^ERROR:  Error installing \S+"
         r"|Your bundle is locked to [^\n]{1,200}, but that version (?:could not|can no longer) be found"
         # Bundler itself in the wrong version (`BUNDLED WITH` of Gemfile.lock), as Bundler and RubyGems say it
         r"|Your bundle requires a different version of Bundler than the one you're running"
         r"|Could not find 'bundler' \([^)\n]{1,40}\) required by your [^\n]{1,200}\.lock",
         "bundler", "gem::ext", "native extension", "gem install", "could not find", "error installing",
         "bundle is locked", priority=70,
         masks=(mask(r"(`gem install )[^`]*`", r"\1<GEM>`"), mask(r"(Could not find )\S+", r"\1<GEM>"),
                mask(r"(Error installing )\S+", r"\1<GEM>"), mask(r"(locked to )\S+ \([^)]*\)", r"\1<GEM> (<VERSION>)"),
                mask(r"(from rubygems repository )\S+", r"\1<URL>"),
                mask(r"(Could not find 'bundler' )\([^)]*\)", r"\1(<VERSION>)"))),
    # Bundler in frozen/deployment mode refusing a Gemfile.lock that no longer matches the Gemfile
    rule("bundler-frozen-lockfile", "lockfile_out_of_sync",
         r"You are trying to install in deployment mode after changing|The gemspecs for path gems changed"
         r"|Run `bundle install` elsewhere and add the updated Gemfile\.lock|The dependencies in your gemfile changed"
         r"|Your bundle only supports platforms [^\n]{1,200} but your local platform is|[Ff]rozen mode"
         # Bundler 2.x: `<what changed>, but the lockfile can't be updated because frozen mode is set` and its details
         r"|, but (?:the lockfile )?can't be updated because|^You have (?:added to|deleted from|changed in) the Gemfile:"
         r"|This bundle has been frozen, but there is no \S+ present|Cannot write a changed lockfile while frozen",
         "deployment mode", "gemspecs for path gems", "gemfile.lock", "dependencies in your gemfile",
         "bundle only supports platforms", "frozen mode", "can't be updated because", "the gemfile:",
         "bundle has been frozen", "changed lockfile while frozen", priority=100),
    # Composer
    rule("composer-lockfile", "lockfile_out_of_sync",
         r"Your lock file does not contain a compatible set of packages|The lock file is not compatible with the"
         r" Composer version|Required (?:\(in require-dev\) )?package \"?[^\s\"]+\"? is not present in the lock file"
         # `composer validate` (an error there) and `composer install` (a warning, left to the warning rule)
         r"|^(?:- )?(?:The lock file|composer\.lock) is not up to date with the latest changes in composer\.json",
         "lock file does not contain", "lock file is not compatible", "not present in the lock file",
         "latest changes in composer.json", priority=100, tool="composer",
         masks=(mask(r'(package )"?[^\s"]+"?( is not present)', r'\1"<PACKAGE>"\2'),)),
    rule("composer-install", "dependency_install_failed",
         r"Your requirements could not be resolved to an installable set of packages|contains a Composer plugin"
         r" which is blocked by your allow-plugins config|composer config --no-plugins allow-plugins\."
         r"|^\[Composer\\[\w\\]{1,200}Exception\]|^- Root composer\.json requires "
         r"|requires (?:php|ext-[\w-]+) [^\n]{1,80} but (?:your php version|it is missing from your system)",
         "could not be resolved to an installable", "composer plugin", "allow-plugins", "[composer\\",
         "root composer.json", "your php version", "missing from your system", priority=70, tool="composer",
         masks=(mask(r"^\S+ (contains a Composer plugin)", r"<PACKAGE> \1"),
                mask(r"(allow-plugins\.)\S+", r"\1<PACKAGE>"))),
    # apt: the package or the repository is not there (a network failure to fetch it is rules/network.py's)
    rule("apt-install", "dependency_install_failed",
         r"^E: (?:Unable to locate package|Package '[^']+' has no installation candidate|Unable to correct problems,"
         r" you have held broken packages|The repository '[^']+' (?:does not have|no longer has) a Release file"
         r"|Version '[^']+' for '[^']+' was not found)|^Package \S+ is not available, but is referred to by another"
         r" package|has no installation candidate",
         "e: unable to", "e: package", "e: the repository", "e: version", "is not available, but is referred to",
         "no installation candidate", priority=70, tool="apt",
         masks=(mask(r"((?:locate )?[Pp]ackage )'?[\w.+:-]+'?", r"\1<PACKAGE>"),
                mask(r"^Package \S+", "Package <PACKAGE>"), mask(r"(The repository )'[^']+'", r"\1'<URL>'"))),
))
