"""Line cleaning, error-group normalisation and the privacy scrub.

Three steps, all pure functions of one line:

* `clean_line` drops what is not the message: ANSI colour/cursor codes, the platform's
  timestamp prefix (`ISO<TAB>`, `HH:MM:SS.mmm | `), CI prefixes (`Step #4:`, `remote:`,
  turbo's `pkg:build:`), leading blanks.
* `normalise` turns a message into an error group: variable parts (paths, modules, versions,
  numbers, hosts, ids, ...) become placeholders so that the same error from different
  projects groups together; quoted names become `<IDENTIFIER>`/`<TYPE>`/`<MODULE>` by the word
  before them. Fixed codes that name the error kind (`TS2307`, `YN0028`, `E404`,
  `[code: 10000]`, `exit code 127`, HTTP statuses such as `npm ERR! 404`) stay.
* `scrub` is the privacy pass run last on every group and sample: credentials (auth headers,
  `key=value`, `--password x`, `login -p x`), the token families secret scanners know, key
  blocks, account ids, emails, IPs, absolute and user paths, URLs (scheme-less too), internal
  host names and worker names never leave the engine. build_errors/privacy.py re-checks what is
  about to be published with separately written patterns and blocks it on a finding.

Both `normalise` and `scrub` are one combined regex with named alternatives, scanned once
left to right, so an earlier, longer token (a URL) wins over the pieces inside it (a host).
"""

from __future__ import annotations

import re

from bloqr_dagster.build_errors.privacy import private_spans

MAX_LINE_CHARS = 4096  # work per line is capped: only the head of a huge line is examined
MAX_GROUP_CHARS = 512
MAX_SAMPLE_CHARS = 1024

# CSI (colour, cursor) and OSC (title, hyperlink) sequences; never across a line break.
ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)|[@-Z\\-_])")

# GitLab's `section_start:1700000000:name[opts]` directly followed by ESC[0K (its CR dropped by a copy).
_GITLAB_SECTION_RE = re.compile(r"^((?:\x1b\[0?K)?section_(?:start|end):\d{1,12}:[\w.-]{1,100}+(?:\[[\w=,.-]{0,100}+\])?)(?=\x1b\[0?K)")

_PREFIX_RE = re.compile(
    r"""^(?:[ \t]*(?:
        \d{4}-\d\d-\d\d[T\ ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?
            (?:[ \t]+\[(?:ERROR|FATAL|INFO|DEBUG|NOTICE|TRACE)\](?=\s))?  # `[WARN]` stays: never an error
      | \d{1,2}:\d\d:\d\d(?:\.\d+)?(?:\ ?[AP]M)?(?=[ \t]*\||\t|\ \ |:\ |\ [A-Za-z]):?
      | \d{1,6}(?:\.\d+)?(?=\ \|\ )
      | \[\ *\d+s\]
      | \#\d+\ \d+(?:\.\d+)?(?=\ )
      | \d{1,4}\.\d\d(?=\ [A-Z@\[<])
      | \d{1,4}\.\d{1,3}(?=\ {1,3}(?:(?:npm|yarn|pnpm|bun|sh|bash|error|warning|ERROR|Temporary|Could|Cannot)\b|E:|W:|Err:))
      | Step\ \#\d+(?:\ -\ "[^"]*")?:
      | remote:
      | \d+(?=\ (?:verbose|verb|info|silly|http|timing|error|warn|notice)\ )
      | @?[\w.-]+(?:/[\w.-]+)?:(?:build|dev|lint|test|typecheck|type-check|check-types|deploy|compile|
            generate|postinstall|prepare|start|check):?[\w-]*:(?=\ )
    )(?:[ \t]*\|[ \t]?|\t|[ \t]+|$))++""",  # possessive: the prefix is taken whole or not at all
    re.X,
)


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text) if "\x1b" in text else text


def clean_line(raw: str) -> str:
    """The message part of one raw log line (capped at MAX_LINE_CHARS)."""
    line = raw[:MAX_LINE_CHARS]
    if "\x1b" in line:
        if "section_" in line[:24]:  # the CR between GitLab's marker and its header may be lost
            line = _GITLAB_SECTION_RE.sub(r"\1 ", line, count=1)
        line = ANSI_RE.sub("", line)
    if "\r" in line:  # a stray carriage return (progress redraw): keep what was drawn last
        line = line.rstrip("\r").rsplit("\r", 1)[-1]
    m = _PREFIX_RE.match(line)
    if m and m.end():
        line = line[m.end():]
    return line.strip()


# ---------------------------------------------------------------------------------------------
# Token grammar shared by the privacy scrub and the normaliser.

# Top-level domains a public host name ends in (the `host` group token and scheme-less URLs).
_TLDS = r"""com|org|net|io|dev|app|co|ai|me|xyz|cloud|tech|site|info|biz|us|uk|de|fr|jp|cn|ru|in|br|eu|nl|se|ch|au
    |ca|be|it|es|pl|cz|tv|gg|so|ly|fm|page|run|host|online|store|blog|edu|gov|internal|local|lan|corp"""

# After `key: `, a status word or the start of a sentence is prose (`token: invalid`, `password: is
# required`), anything else is a value: `DB_PASSWORD: hunter` is masked like `DB_PASSWORD=hunter`.
_PROSE_AFTER_COLON = r"""(?!(?i:not|no|is|are|was|were|must|should|cannot|can't|required|missing|invalid|expired
    |incorrect|empty|wrong|denied|failed|rejected|revoked|unset|undefined|null|none|true|false|yes|ok|redacted|hidden
    |masked|set|present|provided|unknown|mismatch|disabled|enabled|too|the|a|an)(?![\w-])|[A-Za-z][a-z]*+[ \t]++[A-Za-z<])"""

# Values that must never leave the engine. Each credential pattern keeps its key, flag or scheme
# (`DB_PASS=`, `--password `, `Authorization: Bearer `) and masks the value, named in `<kind>_v`.
_PRIVATE = r"""
 (?P<ph><[A-Z][A-Z_]*>)
|(?P<pemkey>-----BEGIN\ [A-Z0-9 ]{0,40}PRIVATE\ KEY(?:\ BLOCK)?-----(?P<pemkey_v>.*))
|(?P<credurl>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s/@'"`<>]{1,256}@[^\s'"`<>]*)
|(?P<url>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s'"`<>(){}\[\]]*[^\s'"`<>(){}\[\].,:;!?])
|(?P<credhost>(?<![\w/:.%+-])[\w.%+-]++:[^\s@/'"`<>]{1,128}@[\w-]++(?:\.[\w-]++)++)
|(?P<scp>(?<![\w.-])[\w.-]++@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}:[\w./~-]+)
|(?P<gitident>(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)*+\.\(none\))
|(?P<prompt>(?<![\w.-])[\w.-]++@[\w-]++(?:\.[\w-]++)*+(?=:~|:/(?!/)))
|(?P<sshuser>(?<![\w.+-])[\w.+-]++@(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d))
|(?P<email>(?<![\w.+%-])[\w.+%-]++@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}\b)
|(?P<authhdr>(?i:\b(?:proxy-)?authorization|\bx-(?:api-key|auth-token|access-token|goog-api-key|amz-security-token)
    |\bprivate-token|\bapi-key)["']?\s*[:=]\s*["']?(?:(?i:bearer|basic|token|digest|negotiate|bot|apikey|otp)\s+)?+
    (?P<authhdr_v>(?!<)(?![a-z]+(?:\s|$))[^\s"'`,;]+))
|(?P<cookie>(?i:\b(?:set-)?cookie)\s*:\s*(?P<cookie_v>(?!<)[^\n]+))
|(?P<bearer>(?i:\b(?:bearer|basic)\s+)(?!<)(?![A-Za-z][a-z]*+(?:=["']|(?![\w.~+/=-])))[\w.~+/=-]{6,}
    |(?i:\btoken\s+)(?!<)(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,})
|(?P<secret>(?<![\w.-])(?=[\w.-]++["']?\s*[:=])(?i:(?!(?:un)?auth(?:enticated|ori[sz]ed)\b))(?i:(?=[\w.-]*?(?:token|secret|pass(?:wd|word|phrase)?(?![a-z])|[_.-]pwd
    |api[_-]?key|accountkey|[_.-]key(?![a-z])|credential|auth|private[_-]?key|signature|cookie|session[_-]?id
    |salt(?![a-z])|dsn(?![a-z])|webhook|user(?:[_-]?name)?(?![a-z_-]))))
    [\w.-]++["']?(?:\s*=\s*|\s*:(?=\S)|\s*:\s++%PROSE%)
    (?P<secret_v>"(?!<)[^"\n]{1,256}"|'(?!<)[^'\n]{1,256}'|["']?(?!<)(?!\d{3}(?!\w))[^\s"',;]+))
|(?P<dbuser>(?i:\b(?:user|role)\s+)(?P<dbuser_v>"(?!<)[^"\n]{1,128}"|'(?!<)[^'\n]{1,128}'))
|(?P<flagsecret>(?<![\w-])--?(?=[\w-]*?(?i:password|passwd|passphrase|pass(?![a-z])|pwd|token|secret|api[_-]?key|auth
    |credential|cookie|username))[\w-]++(?<!-stdin)(?<!-file)(?:=|\s+)
    (?P<flagsecret_v>(?!--|-\w(?!\S)|<)(?:"[^"\n]{1,256}"|'[^'\n]{1,256}'|[^\s"',;]+)))
|(?P<knowntoken>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft)-[\w-]{20,}
    |xox[abposre]-[\w-]{10,}|xapp-[\w-]{10,}|(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[0-9A-Z]{16}
    |AIza[\w-]{30,}|ya29\.[\w-]{20,}|npm_[A-Za-z0-9]{30,}|pypi-[\w-]{50,}|hf_[A-Za-z0-9]{30,}|do[opr]_v1_[a-f0-9]{64}
    |SG\.[\w-]{16,}\.[\w-]{30,}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|dckr_pat_[\w-]{20,}|glc_[A-Za-z0-9+/]{30,}={0,2}
    |sntry[su]_[\w+/=]{30,}|lin_api_[A-Za-z0-9]{30,}|figd_[\w-]{30,}|nfp_[A-Za-z0-9]{30,}|rubygems_[a-f0-9]{48}
    |pscale_(?:tkn|pw|oauth)_[\w.-]{30,}|dp\.(?:pt|st|sa|ct|scrt)\.[A-Za-z0-9]{30,}|hvs\.[\w-]{20,}
    |whsec_[A-Za-z0-9+/=]{20,}|cf[a-z]{0,3}[-_][A-Za-z0-9_-]{30,}|sk-ant-[\w-]{20,}
    |(?:sk|pk|rk)[-_](?:live|test|proj|svcacct|admin)?[-_]?[A-Za-z0-9_-]{16,}))
|(?P<jwt>\beyJ[\w-]{8,}+\.[\w-]{8,}+(?:\.[\w-]++)?)
|(?P<integrity>\bsha(?:1|256|384|512)-[A-Za-z0-9+/]{16,}={0,2})
|(?P<awskey>(?<![\w/+=])(?=[A-Za-z0-9/+]{40}(?![\w/+=]))(?=[A-Za-z0-9/+]{0,39}\d)(?=[A-Za-z0-9/+]{0,39}[A-Z])
    (?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9]{0,39}[/+])[A-Za-z0-9/+]{40})
|(?P<apipath>/(?:client/v4/)?(?:accounts|zones|user|memberships)/[^\s)"'`,]*)
|(?P<acctkv>(?i:\baccount[_-]?id)["']?\s*[:=]\s*["']?(?!<)[^\s"',;]+)
|(?P<zonekv>(?i:\bzone[_-]?id)["']?\s*[:=]\s*["']?(?!<)[^\s"',;]+)
|(?P<wname>(?:--name[= ]|--script-name[= ]|\bname\s*=\s*")(?!<)[^\s`'"]+)
|(?P<wquoted>(?i:\b(?:worker(?:\s+name)?|script(?:\s+name)?|system\s+expected|service)\s+)"(?!<)[^"\s]+")
|(?P<wverb>\b(?:Uploaded|Published|Deployed|Uploading|Deploying)\s+(?!<)[A-Za-z0-9][\w-]*(?=\s+\(\d|\s+triggers))
|(?P<inthost>(?<![\w.@/-])(?=(?:[A-Za-z0-9-]++\.)*?(?:[A-Za-z0-9-]*-)?(?i:internal|corp|intra(?:net)?|lan|local
    |localdomain|private|priv|svc|cluster)(?:\.|(?![\w-])))(?=[A-Za-z0-9-]++\.)(?:[A-Za-z0-9-]++\.)+[A-Za-z0-9-]++
    (?P<inthost_p>:\d{1,5})?(?![\w-]|\.[\w-]))
|(?P<devhost>(?<![\w.-])[\w-]++(?:\.[\w-]++)*?\.(?:workers|pages)\.dev\b)
|(?P<webhook>(?i:hooks\.slack\.com|discord(?:app)?\.com/api/webhooks|hooks\.zapier\.com
    |outlook\.office\.com/webhook)/[^\s'"`<>(){}\[\]]*)
|(?P<nourl>(?<![\w.@/-])(?i:[a-z0-9][a-z0-9-]*+(?:\.[a-z0-9-]++)*?\.(?:%TLDS%))(?::\d{1,5})?
    /[^\s'"`<>(){}\[\]]*[^\s'"`<>(){}\[\].,:;!?])
|(?P<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)
|(?P<hexlong>\b[0-9a-fA-F]{32,}\b)
|(?P<longtoken>(?<![\w-])(?=[\w-]{32})(?:(?=[a-z0-9_-]*+[A-Z])(?=[A-Z0-9_-]*+[a-z])(?=[A-Za-z_-]*+\d)
    [A-Za-z0-9_-]{32,}|(?=(?:[a-z_-]*+\d){3}+)[a-z0-9_-]{32,})={0,2}(?![\w-]))
|(?P<b64>(?<![\w/+])(?=[A-Za-z0-9+/]{40})(?=(?:[A-Za-z+/]*+\d){3}+)(?=[a-z0-9+/]*+[A-Z])
    [A-Za-z0-9+][A-Za-z0-9+/]{39,}={0,2}(?![\w/+]))
|(?P<ipv6>(?<![\w:.])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}
    |(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?
    |::(?:[fF]{4}:)?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{1,4}){0,5})(?![\w:]))
|(?P<ipv4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)(?P<ipv4_p>:\d{1,5}(?!\w))?)
|(?P<winuser>(?i:[A-Za-z]:[\\/]{1,2}(?:Users|Documents\ and\ Settings)[\\/]{1,2})(?!<)
    (?:[^\\/\s'"`<>|]++(?:\ [^\\/\s'"`<>|]++){0,3}+(?=[\\/])|[^\\/\s'"`<>|,;()]*+)[^\s'"`<>|,;()]*+)
|(?P<winpath>(?<![\w])[A-Za-z]:[\\/][^\s'"`<>|,;()]*|\\\\[\w.$-]+\\[^\s'"`<>|,;()]*)
|(?P<home>~/[^\s'"`<>,;()]*)
|(?P<unixuser>/(?:home|Users|export/home)/(?!<)(?:[^/\s'"`<>:;,]++(?:\ [^/\s'"`<>:;,]++){0,3}+(?=/)
    |[^/\s'"`<>:;,()]*+)[\w.@+%=~\[\]/-]*+(?P<uloc>:\d+(?::\d+)?)?)
|(?P<abspath>(?<![\w.:/~\\<>@\-])/[\w.@+%=~\[\]-][\w.@+%=~\[\]/-]*(?P<aloc>:\d+(?::\d+)?)?)
|(?P<kvrandom>(?<=[=:"'])(?!<)(?=[\w+/-]{20})(?=(?:[A-Za-z_+/-]*+\d){3}+)(?=[a-z\d_+/-]*+[A-Z])(?=[A-Z\d_+/-]*+[a-z])
    [\w+/-]{20,}={0,2}(?![\w+/=-]))
""".replace("%TLDS%", _TLDS).replace("%PROSE%", _PROSE_AFTER_COLON)

_STRUCTURAL = r"""
|(?P<pkgver>(?<![\w/.@-])(?P<pkgname>(?:@[\w.-]++/)?[A-Za-z0-9][\w.-]*+)@(?P<pkgspec>npm:[^\s"',)]+
    |workspace:[^\s"',)]*|file:[^\s"',)]*|link:[^\s"',)]*|"[^"]*"|[\^~<>=]*v?\d[\w.+-]*(?<![.-])
    |latest|next|canary|beta|\*)(?![\w]))
|(?P<relfile>(?<![\w/.@~-])(?=[\w.@+~\[\]-]*+/)(?:\.{1,2}/)*(?:[\w.@+~\[\]-]+/)+[\w.@+~\[\]-]*\.[A-Za-z]\w{0,9}
    (?P<rloc>:\d+(?::\d+)?|\(\d+,\d+\))?(?![\w/]))
|(?P<reldir>(?<![\w/.@~-])(?=[\w.~\[\]-]*+/)(?:(?:\.{1,2}/)+[\w.~\[\]-]+|[\w.~-]+(?:/[\w.~\[\]-]+){2,})/?(?![\w]))
|(?P<barefile>(?<![\w/.@~-])(?!\.d\.ts(?![\w.])|\.[\w+~-]++(?![\w+~.-]))(?P<bname>[\w+~-]*+(?:\.[\w+~-]++)*?\.(?:d\.ts|[cm]?[jt]sx?|vue|svelte|astro|css|scss|sass|less
    |html?|json5?|jsonc|toml|ya?ml|mdx?|py|rb|go|rs|lock|lockb|txt|wasm|map|sh|ps1|cfg|ini|xml|php))
    (?P<bloc>:\d+(?::\d+)?|\(\d+,\d+\))?(?![\w/]))
|(?P<host>(?<![\w.@/-])(?i:[a-z0-9][a-z0-9-]*+(?:\.[a-z0-9-]++)*?\.(?:%TLDS%))(?![\w.-])(?P<port>:\d{1,5})?)
|(?P<portnum>(?<![\w-])(?i:port)(?:\s*=\s*|\s+)\d{1,5}(?![\w.]))
|(?P<qcommand>(?:(?<=[Cc]ommand\ )|(?<=[Pp]rocess\ )|(?<=[Ff]ailed\ to\ run\ ))(?:"(?!<|/[^"\s]*+")[^"\n]{1,300}"|'(?!<|/[^'\s]*+')[^'\n]{1,300}'|`(?!<|/[^`\s]*+`)[^`\n]{1,300}`))
|(?P<pidhex>\[\d+:(?:0x[0-9a-fA-F]+|[0-9A-F]{8,16})\])
|(?P<parenloc>\(\d{1,6}[,:]\d{1,5}\))
|(?P<nodepid>\((?:node|bun|deno):\d+\))
|(?P<hex0x>\b0x[0-9a-fA-F]+\b)
|(?P<shortsha>\b(?=[0-9a-f]{0,11}[a-f])(?=[0-9a-f]{0,11}\d)[0-9a-f]{7,12}\b)
|(?P<errno>\berrno\s+-?\d+)
|(?P<linecol>(?:(?<=[Ll]ine\ )|(?<=\s)|^)\d{1,6}:\d{1,5}(?=:?\s|$))
|(?P<keep>\bcurl:\s\(\d+\)|\[code:\s\d+\]|\bts\(\d{4,5}\))
|(?P<exit>(?i:\b(?:exit(?:ed)?(?:\s+with)?(?:\s+error)?(?:\s+code|\s+status)?|error\s+code|with\s+code
    |status\s+code|code))(?P<esep>:?\s*\(?)(?P<enum>-?\d+)(?!\w|\.\w))
|(?P<isodate>\b\d{4}-\d\d-\d\d(?:[T_ ]\d\d[:_]\d\d[:_]\d\d(?:[._]\d+)?Z?)?\b)
|(?P<clock>\b\d{1,2}:\d\d:\d\d(?:\.\d+)?(?:\s?[AP]M)?\b)
|(?P<duration>(?<![\w.])(?:\d+h(?:\d+m)?(?:\d+s)?|\d+m\d+(?:\.\d+)?s|\d+(?:\.\d+)?(?:ms|s|m|h)
    |\d+(?:\.\d+)?\ (?:secs?|seconds?|mins?|minutes?)(?![\w]))(?![\w.]))
|(?P<qident>(?:(?<=[Pp]roperty\ )|(?<=[Nn]ame\ )|(?<=[Vv]ariable\ )|(?<=[Ii]dentifier\ )|(?<=[Ff]unction\ )
    |(?<=[Mm]ethod\ )|(?<=[Pp]arameter\ )|(?<=[Mm]ember\ )|(?<=[Ee]xport\ )|(?<=[Ii]mport\ )|(?<=reading\ )
    |(?<=assign\ to\ )|(?<=[Ff]ield\ )|(?<=[Aa]rgument\ )|(?<=TS\d{4}:\ )|(?<=TS\d{5}:\ ))
    (?:'[A-Za-z_$][\w$]*+(?:\.[A-Za-z_$][\w$]*+)*+'|"[A-Za-z_$][\w$]*+(?:\.[A-Za-z_$][\w$]*+)*+"
    |`[A-Za-z_$][\w$]*+(?:\.[A-Za-z_$][\w$]*+)*+`)
    |'[A-Za-z_$][\w$]*+'(?=\s++(?:is|are)\s++(?:defined|declared|assigned|not\ defined|possibly|never|already|missing)))
|(?P<qtype>(?<=[Tt]ype\ )(?:'(?!<)[^'\n]{1,200}'|"(?!<)[^"\n]{1,200}"))
|(?P<qmodule>(?:(?<=[Mm]odule\ )|(?<=resolve\ )|(?<=[Pp]ackage\ ))(?:'(?!<|/)[^'\s]{1,200}'|"(?!<|/)[^"\s]{1,200}"))
|(?P<qrange>"[\^~<>=*\s]*+v?\d[\w.*]*+(?:\s*+(?:\|\||-|,)?\s*+[\^~<>=]*+\s*+v?\d[\w.*]*+)*+")
|(?P<range>(?<![\w.\-])(?:[\^~]|[<>]=?)\s?v?\d[\w.*]*)
|(?P<kwver>(?i:\b(?:python|node(?:\.js|js)?|npm|pnpm|yarn|bun|ruby|go|java|php|deno)(?:\s+version)?
    (?:\s+(?:set\s+to|is))?\s+)v?\d+(?:\.[\dx]+)*(?!\w|\.\w))
|(?P<version>(?<![\w.])v?\d+(?:\.\d+){2,3}(?:-(?:alpha|beta|rc|canary|next|pre|dev|preview|nightly)[\w.]*)?
    (?!\w|\.\w))
|(?P<vshort>(?<![\w.])v\d+(?:\.\d+)?(?!\w|\.\w|::))
|(?P<num>(?<![\w.])\d+(?:,\d{3})*\.\d+(?!\w|\.\w))
|(?P<httpcode>(?:(?<=ERR!\ )|(?<=error\ )|(?<=Error\ )|(?<=http\ )|(?<=GET\ )|(?<=PUT\ )|(?<=POST\ )
    |(?<=HEAD\ )|(?<=PATCH\ )|(?<=DELETE\ )|(?<=error:\ )|(?<=^Error:\ )|(?<=HTTP\ Error:\ )|(?<=-\ )|(?<=returned\ a\ )|(?<=[Rr]eceived\ a\ )|(?<=status:\ )
    |(?<=status\ )|(?<=\[)(?=\d{3}\])
    |(?=\d{3}\s++(?i:not\ found|unauthori[sz]ed|forbidden|internal\ server\ error|bad\ request|bad\ gateway
    |service\ unavailable|gateway\ time-?out|too\ many\ requests|conflict|payment\ required|method\ not\ allowed
    |unprocessable|not\ acceptable|gone|precondition|request\ time-?out|proxy\ authentication)))
    (?<![\w.])[45]\d\d(?!\w|\.\w))
|(?P<int>(?<![\w.])(?:(?<![\[,])\d{1,3}(?:,\d{3})++|\d+)(?!\w|\.\w))
""".replace("%TLDS%", _TLDS)

# Python's regex engine tries every alternative at every position, so the ~45 token patterns are
# arranged for speed (the result is the same as one flat alternation in this order):
# * a token never starts inside a word or on a blank (patterns that begin with a word character
#   are guarded by \b or a lookbehind anyway);
# * the patterns are grouped by what the token looks like (its first character; for words, whether
#   it holds an @, ://, a slash, a dot or a digit), so that each position tries a handful.
_GUARD = r"(?=\S)(?:(?<!\w)|(?!\w))"
_SHAPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"<", ("ph",)),
    (r"/", ("unixuser", "apipath", "abspath")),
    (r"['\"`]", ("qcommand", "qident", "qtype", "qmodule", "qrange")),
    (r"[\[(]", ("pidhex", "parenloc", "nodepid", "keep")),
    (r"[~\\^<>-]", ("pemkey", "flagsecret", "wname", "longtoken", "home", "winpath", "range")),
    (r"[.@]", ("pkgver", "relfile", "reldir", "barefile")),
    (r"\d", ("awskey", "uuid", "hexlong", "longtoken", "b64", "ipv6", "ipv4", "email", "pkgver", "relfile",
             "reldir", "barefile", "host", "shortsha", "hex0x", "linecol", "isodate", "clock", "duration", "version", "num",
             "httpcode", "int")),
    (r"[A-Za-z_](?=[\w.%+-]*+:[^\s@/]*+@)", ("credhost",)),
    (r"[A-Za-z_](?=[\w.+%~-]*+@)", ("scp", "gitident", "prompt", "sshuser", "email", "pkgver")),
    (r"[A-Za-z](?=[\w.+~-]*+(?::/|:\\))", ("credurl", "url", "winuser", "winpath")),
    (r"[A-Za-z](?=[A-Za-z0-9]*+[+/])", ("awskey",)),
    (r"[A-Za-z_](?=[\w.@+~\[\]-]*+/)", ("webhook", "nourl", "relfile", "reldir")),
    (r"[A-Za-z_](?=[\w+~-]*+\.)", ("jwt", "inthost", "devhost", "barefile", "host")),
    (r"[A-Za-z_](?=[\w-]*?\d)", ("knowntoken", "integrity", "uuid", "hexlong", "longtoken", "b64", "ipv6", "shortsha",
                               "version", "vshort")),
    (r"[A-Za-z_]", ("knowntoken", "authhdr", "cookie", "bearer", "secret", "dbuser", "acctkv", "zonekv", "wname", "wquoted",
                   "wverb", "errno", "keep", "exit", "kwver", "portnum")),
    # An IPv6 address whose first group has no digit (`dead:beef::1`).
    (r"[A-Fa-f](?=[0-9A-Fa-f]{0,3}:)", ("ipv6",)),
    # A random-looking value right after `=` or `:` (`FOO=AbC...`, `"id":"AbC..."`).
    (r"(?<=[=:])[\w+/]|(?<=[=:][\"'])[\w+/]", ("kvrandom",)),
)


def _alternatives(source: str) -> dict[str, str]:
    parts = re.split(r"\n\|(?=\(\?P<)", "\n" + source.strip())
    out = {}
    for part in parts:
        part = part.strip().lstrip("|").strip()
        if part:
            out[re.match(r"\(\?P<(\w+)>", part).group(1)] = part
    return out


# Cheap necessary conditions that let most positions skip whole clusters of patterns (the result is the
# same, see _assemble):
# * the letter shapes with a look-ahead need one of @ : / . or a digit before the next blank;
# * in the digit shape, uuid/hexlong/longtoken/b64 need 9 word characters in a row, and
#   pkgver/relfile/reldir/barefile/host need an @, a / or a dot and a letter before the next blank;
# * a pattern of the last (plain letter) shape starts with one of these letters, except `secret`,
#   which needs a `key:` or `key=` here.
_LOOKAHEAD_SHAPES_NEED = r"(?=\S*?[@:/.\d])"
_DIGIT_CLUSTERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("uuid", "hexlong", "longtoken", "b64"), r"(?=[\w+/-]{9})"),
    (("email", "pkgver", "relfile", "reldir", "barefile", "host"), r"(?=\S*?(?:[@/]|\.[^\W\d_]))"),
)
_WORD_FIRST_LETTERS = {
    "knowntoken": "gxAynphdSslfrwc", "authhdr": "aApPxX", "cookie": "cCsS", "bearer": "bBtT", "dbuser": "uUrR", "acctkv": "aA",
    "zonekv": "zZ", "wname": "n", "wquoted": "wWsS", "wverb": "UPD",
    "errno": "e", "keep": "c", "exit": "eEwWsScC", "kwver": "pPnNyYbBrRgGjJdD", "portnum": "pP",
}
_SECRET_NEEDS = r"""(?<![\w.-])[\w.-]++["']?\s*[:=]"""


def _shape_bodies(source: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(first-character class, [(pattern name, pattern)]) per shape, group names made unique."""
    alts = _alternatives(source)
    shapes, used = [], set()
    copies: dict[str, int] = {}
    for first, names in _SHAPES:
        chosen = [n for n in names if n in alts]
        if not chosen:
            continue
        bodies = []
        for n in chosen:
            # A pattern listed under several shapes needs distinct group names: `name__2`, ...
            copies[n] = copies.get(n, 0) + 1
            suffix = f"__{copies[n]}" if copies[n] > 1 else ""
            bodies.append((n, re.sub(r"\(\?P<(\w+)>", rf"(?P<\1{suffix}>", alts[n]) if suffix else alts[n]))
        used.update(chosen)
        shapes.append((first, bodies))
    missing = set(alts) - used
    if missing:
        raise ValueError(f"token patterns not placed in any shape: {sorted(missing)}")
    return shapes


def _clustered(bodies: list[tuple[str, str]], clusters: tuple[tuple[tuple[str, ...], str], ...]) -> str:
    """The ordered alternation of `bodies`, each cluster (consecutive there) behind its condition."""
    names = [n for n, _ in bodies]
    parts, i = [], 0
    starts = {}
    for members, need in clusters:
        present = [k for k, n in enumerate(names) if n in members]
        if present:
            if present != list(range(present[0], present[0] + len(present))):
                raise ValueError(f"token patterns {members} must be consecutive in their shape")
            starts[present[0]] = (len(present), need)
    while i < len(bodies):
        if i in starts:
            size, need = starts[i]
            parts.append(f"{need}(?:{'|'.join(body for _, body in bodies[i:i + size])})")
            i += size
        else:
            parts.append(bodies[i][1])
            i += 1
    return "|".join(parts)


def _assemble(source: str, *, fast: bool = True) -> re.Pattern[str]:
    """One regex for the token patterns of `source`, tried in _SHAPES order at each position.

    fast=False is the plain alternation of the shapes; fast=True adds the necessary conditions above
    and tries the letter shapes first (no other shape can match at a letter or `_`), which finds the
    same matches with far fewer attempts (tests/build_errors/test_masking.py compares the two).
    """
    shapes = _shape_bodies(source)

    def alternation(bodies: list[tuple[str, str]]) -> str:
        return "|".join(body for _, body in bodies)

    if not fast:
        return re.compile(_GUARD + "(?:" + "|".join(f"(?={first})(?:{alternation(bodies)})"
                                                    for first, bodies in shapes) + ")", re.X)
    looking, last, other = [], "", []
    for first, bodies in shapes:
        if first == "[A-Za-z_]":
            unknown = [n for n, _ in bodies if n not in _WORD_FIRST_LETTERS and n != "secret"]
            if unknown:
                raise ValueError(f"no first letters declared for token patterns {unknown}")
            letters = "".join(sorted({ch for n, _ in bodies for ch in _WORD_FIRST_LETTERS.get(n, "")}))
            need = f"[{letters}]" + ("|" + _SECRET_NEEDS if any(n == "secret" for n, _ in bodies) else "")
            last = f"(?={first})(?={need})(?:{alternation(bodies)})"
        elif first.startswith("[A-Za-z"):
            looking.append(f"(?={first})(?:{alternation(bodies)})")
        elif first == r"\d":
            other.append(f"(?={first})(?:{_clustered(bodies, _DIGIT_CLUSTERS)})")
        else:
            other.append(f"(?={first})(?:{alternation(bodies)})")
    letter = "|".join(x for x in (f"{_LOOKAHEAD_SHAPES_NEED}(?:{'|'.join(looking)})" if looking else "", last) if x)
    return re.compile(_GUARD + "(?:(?=[A-Za-z_])(?:" + letter + ")|" + "|".join(other) + ")", re.X)


_PRIVACY_RE = _assemble(_PRIVATE)
_GROUP_RE = _assemble(_PRIVATE + _STRUCTURAL)

# A necessary condition for every privacy token above, made of cheap string tests: text that
# fails it cannot hold one and skips the scrub (most normalised groups, many samples). Keep it in
# step with _PRIVATE when adding a token kind.
_EMAILISH_RE = re.compile(r"[\w.+%-]@[\w-]")  # email and scp (`git@host:`), not `<PACKAGE>@<VERSION>`
_PRIVATE_WORDS = ("bearer", "basic", "token", "secret", "pass", "pwd", "key", "credential", "auth", "cookie",
                  "session", "signature", "salt", "dsn", "webhook", "private", "priv", "begin", "eyj", "login",
                  "mysql", "mariadb", "sshpass", "curl", "account", "zone", "worker", "script", "service", "expected",
                  "uploaded", "published", "deployed", "uploading", "deploying", ".dev", "(none)", "internal",
                  "corp", "intra", "local", "lan", "svc", "cluster", "user", "role", "psql", "pg_",
                  "createdb", "dropdb")
_IPV4_HINT_RE = re.compile(r"\d\.\d+\.\d+\.\d")
_PLACEHOLDER_RE = re.compile(r"<[A-Z][A-Z_]*>")
_LONG_TOKEN_CHARS = 15  # knowntoken/integrity/uuid/hex/longtoken/b64 are all at least this long (xoxb-...)


def _has_long_chunk(text: str) -> bool:
    # Placeholders (`<PACKAGE>@<VERSION>`) do not count towards a chunk's length.
    return any(len(chunk) >= _LONG_TOKEN_CHARS and ("<" not in chunk or
                                                    len(_PLACEHOLDER_RE.sub("", chunk)) >= _LONG_TOKEN_CHARS)
               for chunk in text.split())


def _may_hold_private(text: str) -> bool:
    # URLs and paths, `key=value`, home directories, IPv6, `--name`: plain `in` tests, fast in C.
    if ("/" in text or "=" in text or "\\" in text or "~" in text or "::" in text or "--" in text
            or text.count(":") >= 7):
        return True
    if "@" in text and _EMAILISH_RE.search(text):
        return True
    if "." in text and _IPV4_HINT_RE.search(text):
        return True
    if max(map(len, text.split()), default=0) >= _LONG_TOKEN_CHARS and _has_long_chunk(text):
        return True
    return any(map(text.lower().__contains__, _PRIVATE_WORDS))


_KEEP_EXIT_CODES = {"126", "127", "128", "134", "137", "139", "143"}  # 128: git's fatal error
_KEEP_BARE_FILES = {
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "pnpm-workspace.yaml",
    "package.yaml", "package.json5", "yarn.lock", "bun.lock", "bun.lockb", "wrangler.toml", "wrangler.json", "wrangler.jsonc",
    "tsconfig.json", "jsconfig.json", "requirements.txt", "runtime.txt", "pyproject.toml", "netlify.toml",
    "vercel.json", "go.mod", "cargo.toml", ".nvmrc", ".node-version", ".tool-versions", ".npmrc",
    ".yarnrc.yml", "gemfile.lock", "index.html", "node.js", "next.js", "nuxt.js", "vue.js", "react.js",
    "express.js", "deno.json", "bunfig.toml", "uv.lock", "poetry.lock", "pipfile.lock",
}
_BIOME_RULE_RE = re.compile(r"(?:lint|assist)/[a-z]+/[a-z]+[A-Z][A-Za-z]*$")  # `lint/style/useConst`
_CONFIG_FILE_RE = re.compile(r"^[\w-]+\.config\.[cm]?[jt]s$")
_API_COLLECTIONS = {
    "accounts": "<ACCOUNT_ID>", "zones": "<ZONE_ID>", "scripts": "<WORKER_NAME>",
    "services": "<WORKER_NAME>", "namespaces": "<IDENTIFIER>", "database": "<IDENTIFIER>",
    "buckets": "<IDENTIFIER>", "queues": "<IDENTIFIER>", "projects": "<IDENTIFIER>",
    "deployments": "<IDENTIFIER>", "values": "<IDENTIFIER>", "memberships": "<IDENTIFIER>",
    "versions": "<IDENTIFIER>", "secrets": "<IDENTIFIER>", "domains": "<HOST>",
}


def _api_path(path: str) -> str:
    """Keep a Cloudflare API route's shape, mask the ids and names inside it."""
    parts = path.split("/")
    for i in range(1, len(parts)):
        placeholder = _API_COLLECTIONS.get(parts[i - 1])
        if placeholder and parts[i] and not parts[i].startswith("<"):
            parts[i] = placeholder
    return "/".join(parts)


def _hex_placeholder(value: str) -> str:
    return {40: "<SHA>", 64: "<HASH>"}.get(len(value), "<HEX>")


def _loc(text: str | None) -> str:
    if not text:
        return ""
    if text.startswith("("):
        return "(<LINE>,<COL>)"
    return ":<LINE>:<COL>" if text.count(":") == 2 else ":<LINE>"


def _kind(m: re.Match[str]) -> tuple[str, str]:
    """The token pattern's name and the suffix of this copy of it (see _assemble)."""
    kind, _, copy = (m.lastgroup or "").partition("__")
    return kind, f"__{copy}" if copy else ""


_VALUE_MASKED = {"pemkey": "<TOKEN>", "authhdr": "<TOKEN>", "cookie": "<TOKEN>", "secret": "<TOKEN>",
                 "flagsecret": "<TOKEN>", "dbuser": "<USER>"}
_WHOLE_MASKED = {
    "url": "<URL>", "webhook": "<URL>", "scp": "<URL>", "credurl": "<URL>", "credhost": "<URL>", "nourl": "<URL>", "sshuser": "<URL>",
    "email": "<EMAIL>", "gitident": "<EMAIL>", "prompt": "<EMAIL>", "knowntoken": "<TOKEN>", "jwt": "<TOKEN>",
    "awskey": "<TOKEN>", "kvrandom": "<TOKEN>", "longtoken": "<TOKEN>", "b64": "<TOKEN>", "integrity": "<HASH>",
    "devhost": "<HOST>", "uuid": "<HEX>", "winpath": "<PATH>", "winuser": "<PATH>", "home": "<PATH>",
}


def _masked_value(value: str, placeholder: str) -> str:
    """`placeholder` in place of a value, its quotes kept (`"<TOKEN>"`), its whitespace too."""
    if value[:1] in "\"'":
        return value[0] + placeholder + (value[0] if len(value) > 1 and value[-1] == value[0] else "")
    return (" " if value[:1] == " " else "") + placeholder


def _private(m: re.Match[str]) -> str | None:
    """Replacement for a privacy token, or None when the match is not one."""
    kind, sfx = _kind(m)
    text = m.group(0)
    whole = _WHOLE_MASKED.get(kind)
    if whole is not None:
        return whole
    if kind in _VALUE_MASKED:
        cut = m.start(kind + "_v" + sfx) - m.start()
        return text[:cut] + _masked_value(text[cut:], _VALUE_MASKED[kind])
    if kind == "ph":
        return text
    if kind == "bearer":
        return text.split(None, 1)[0] + " <TOKEN>"
    if kind == "apipath":
        return _api_path(text)
    if kind in ("acctkv", "zonekv"):
        key = re.match(r"""[\w-]+["']?\s*[:=]\s*["']?""", text)
        return (key.group(0) if key else "") + ("<ACCOUNT_ID>" if kind == "acctkv" else "<ZONE_ID>")
    if kind == "wname":
        head = re.match(r'--[\w-]+[= ]|name\s*=\s*"', text)
        return (head.group(0) if head else "") + "<WORKER_NAME>"
    if kind == "wquoted":
        return text[: text.index('"')] + '"<WORKER_NAME>"'
    if kind == "wverb":
        return text.split(None, 1)[0] + " <WORKER_NAME>"
    if kind == "inthost":
        return "<HOST>" + (":<PORT>" if m.group("inthost_p" + sfx) else "")
    if kind == "hexlong":
        return _hex_placeholder(text)
    if kind == "ipv6":
        return "<IP>" if text.count(":") >= 2 and text != "::" else text
    if kind == "ipv4":
        ip, colon, port = text.partition(":")  # the scrub keeps a port, the group masks it (_group_token)
        return ("<IP>" + colon + port) if all(int(o) <= 255 for o in ip.split(".")) else text
    if kind in ("abspath", "unixuser"):
        loc = m.group(("aloc" if kind == "abspath" else "uloc") + sfx)
        return ("<FILE>" if loc else "<PATH>") + _loc(loc)
    return None


def _pkg_spec(spec: str) -> str:
    if spec.startswith("npm:"):
        rest = spec[4:]
        return "npm:" + ("<RANGE>" if rest[:1] in "^~<>=*" else "<VERSION>")
    if spec.startswith(("workspace:", "file:", "link:")):
        return "<SPEC>"
    if spec.startswith('"'):
        return '"<RANGE>"'
    if spec[:1] in "^~<>=*":
        return "<RANGE>"
    return "<VERSION>"


# Quoted names after a word that says what they are (`Property 'foo'`, `type 'Bar'`, `module 'x'`);
# language keywords and built-in type names name the error kind and stay.
_QUOTED = {"qident": "<IDENTIFIER>", "qtype": "<TYPE>", "qmodule": "<MODULE>"}
_KEPT_QUOTED = {"null", "undefined", "string", "number", "boolean", "symbol", "any", "unknown", "never", "void",
                "object", "bigint", "true", "false", "this", "default", "file", "directory", "text", "json"}


def _structural(m: re.Match[str]) -> str:
    kind, sfx = _kind(m)
    text = m.group(0)
    if kind == "pkgver":
        return "<PACKAGE>@" + _pkg_spec(m.group("pkgspec" + sfx))
    if kind == "relfile":
        return "<FILE>" + _loc(m.group("rloc" + sfx))
    if kind == "reldir":  # Biome's rule names (`lint/style/useConst`) look like paths and name the error
        return text if _BIOME_RULE_RE.match(text) else "<PATH>"
    if kind == "barefile":
        name = m.group("bname" + sfx)
        low = name.lower()
        kept = low in _KEEP_BARE_FILES or _CONFIG_FILE_RE.match(low)
        return (name if kept else "<FILE>") + _loc(m.group("bloc" + sfx))
    if kind == "host":
        return "<HOST>" + (":<PORT>" if m.group("port" + sfx) else "")
    if kind == "pidhex":
        return "[<PID>:<HEX>]"
    if kind == "nodepid":
        return text[: text.index(":")] + ":<PID>)"
    if kind == "hex0x":
        return "<HEX>"
    if kind == "portnum":  # `port 443`, `port=5432`: the word and its separator stay
        return text.rstrip("0123456789") + "<PORT>"
    if kind == "qcommand":  # `Command "npm run build" exited`, `process "/bin/sh -c x" did not complete`
        return text[0] + "<COMMAND>" + text[0]
    if kind == "shortsha":
        return "<SHA>"
    if kind in ("keep", "httpcode"):  # fixed codes that name the error kind
        return text
    if kind == "errno":  # a negative errno names the error (-2 is ENOENT); a positive one is an exit status
        return text if text.split()[-1].startswith("-") else "errno <CODE>"
    if kind == "parenloc":
        return "(<LINE>,<COL>)" if "," in text else "(<LINE>:<COL>)"
    if kind == "linecol":
        return "<LINE>:<COL>"
    if kind in _QUOTED:
        inner = text[1:-1]
        return text if inner in _KEPT_QUOTED else text[0] + _QUOTED[kind] + text[0]
    if kind == "exit":
        num = m.group("enum" + sfx)
        head = text[: m.start("enum" + sfx) - m.start()]
        keep = (num in _KEEP_EXIT_CODES or (len(num) >= 4 and not num.startswith("-"))
                or (len(num) == 3 and num[0] in "45" and "exit" not in head.lower()))  # `status code 404`
        return head + (num if keep else "<CODE>")
    if kind in ("isodate", "clock"):
        return "<TIME>"
    if kind == "duration":
        return "<DURATION>"
    if kind == "qrange":
        inner = text[1:-1]
        return '"<RANGE>"' if re.search(r"[\^~<>=*|x]|\s-\s", inner) else '"<VERSION>"'
    if kind == "range":
        return "<RANGE>"
    if kind == "kwver":
        word = re.match(r"[A-Za-z.]+\s+", text)
        return (word.group(0) if word else "") + "<VERSION>"
    if kind in ("version", "vshort"):  # `v18.5.0` and `18.5.0` are the same version
        return "<VERSION>"
    if kind == "num":
        return "<NUM>"
    if kind == "int":
        return "<N>"
    return text


def _group_token(m: re.Match[str]) -> str:
    out = _private(m)
    if out is None:
        return _structural(m)
    if out.startswith("<IP>:"):
        return "<IP>:<PORT>"
    return out


def _privacy_token(m: re.Match[str]) -> str:
    out = _private(m)
    return out if out is not None else m.group(0)


_DUP_PLACEHOLDER_RE = re.compile(r"(<DURATION>|<TIME>)(?:\s+\1)+")
_WIDE_GAP_RE = re.compile(r"[ \t]{3,}")  # column padding (tables, GC traces) is not part of the message


def _head(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a blank so that no token (a secret) is cut in two."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else 0]


# Short credential flags mean a password or user only on the command lines of tools that log in
# (`docker login -u me -p pw`, `mysql -uroot -ppw`, `curl -u me:pw`); elsewhere `-p` is a port,
# a project or `mkdir -p`, so they are masked only after one of these words.
_LOGIN_RE = re.compile(r"\b(?:login|mysql|mysqldump|mysqladmin|mariadb|sshpass|curl|psql|pg_dump|pg_dumpall"
                       r"|pg_restore|createdb|dropdb)\b", re.I)
_SHORT_CRED_RE = re.compile(r"(?<!\S)(-[puU])(=|\s++)?+(?![-<\s])\S++")


def _mask_login_args(text: str) -> str:
    m = _LOGIN_RE.search(text)
    if m is None:
        return text
    tail = _SHORT_CRED_RE.sub(lambda f: f.group(1) + (f.group(2) or "") + "<TOKEN>", text[m.end():])
    return text[: m.end()] + tail


_CRED_USERINFO_RE = re.compile(r"://(?!<)[^\s/@'\"`<>]{1,256}@")


def _mask_userinfo(text: str) -> str:
    return _CRED_USERINFO_RE.sub("://<TOKEN>@", text) if "://" in text else text


def scrub(text: str) -> str:
    """Mask private values (credentials, ids, emails, tokens, IPs, user paths, URLs, internal hosts,
    worker names)."""
    text = _head(text, MAX_LINE_CHARS)  # work is bounded: a huge text keeps its head only
    if not _may_hold_private(text):
        return text
    return _redact_leftovers(_mask_userinfo(_PRIVACY_RE.sub(_privacy_token, _mask_login_args(text))))


_REDACTED = "<REDACTED>"


def _redact_leftovers(text: str) -> str:
    """What the independent privacy scan still finds after masking (a value glued to a word, as in
    `403C:\\Users\\me` or `to/4.0.0hooks.slack.com/...`, which the token grammar's boundaries let
    through) goes with its whole blank-delimited chunk, so no line the scan would block is published."""
    for _ in range(3):
        spans = private_spans(text)
        if not spans:
            return text
        cuts = []
        for start, end in sorted(spans):
            start = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start)) + 1
            ends = [i for i in (text.find(" ", max(end, start)), text.find("\t", max(end, start))) if i >= 0]
            end = min(ends, default=len(text))
            if cuts and start <= cuts[-1][1]:
                cuts[-1] = (cuts[-1][0], max(end, cuts[-1][1]))
            else:
                cuts.append((start, end))
        for start, end in reversed(cuts):
            text = text[:start] + _REDACTED + text[end:]
    return text if not private_spans(text) else _REDACTED


# A command named without quotes runs to the end of the message (`Command failed with exit code 1: npm run
# build`, execa's `Command failed: yarn build`, CodeBuild's `Error while executing command: npm ci. Reason: ...`),
# before Netlify's trailing `(https://ntl.fyi/...)`: one group for every command.
_UNQUOTED_COMMAND_RE = re.compile(
    r"((?:\b[Cc]ommand failed(?: with exit code -?\d+)?|[Ee]rror while executing command): )(?![<\s\"'`])"
    r"[^\n]+?(?=\. Reason: |\s\(https?://[^\s)]+\)$|\.?$)")


# bash's report of a job killed by a signal: `line 34:  1376 Aborted  (core dumped) gatsby build`
_JOB_REPORT_RE = re.compile(r"(: line \d+: +)\d+( +(?:Aborted|Segmentation fault|Bus error|Illegal instruction|Killed"
                            r"|Terminated)(?: +\(core dumped\))? +)\S[^\n]*")
# the argument types of a C++ frame in V8's native stack (`v8::internal::V8::FatalProcessOutOfMemory(char const*)`)
_NATIVE_ARGS_RE = re.compile(r"(?<=\w::)(\w+)\((?!<ARGS>\))[^()\n]{1,300}\)")
# the package of a types suggestion (`Try \`npm i --save-dev @types/x\``): the kind, @types, stays
_TYPES_PACKAGE_RE = re.compile(r"(?<=@types/)(?!<)[\w.-]+")
# `>=18 || <21`, `>=3.8,<4.0`: one range, however many parts
_RANGE_LIST_RE = re.compile(r"<RANGE>(?:\s*+(?:\\?\|\\?\||,)\s*+<RANGE>)+")


def normalise(text: str) -> str:
    """The error group of an already cleaned (and rule-masked) message."""
    text = _head(text, 2 * MAX_GROUP_CHARS)
    if "ommand" in text:
        text = _UNQUOTED_COMMAND_RE.sub(r"\1<COMMAND>", text)
    if ": line " in text:
        text = _JOB_REPORT_RE.sub(r"\1<PID>\2<COMMAND>", text)
    if "::" in text and "(" in text:
        text = _NATIVE_ARGS_RE.sub(r"\1(<ARGS>)", text)
    if "@types/" in text:
        text = _TYPES_PACKAGE_RE.sub("<PACKAGE>", text)
    out = _GROUP_RE.sub(_group_token, _mask_login_args(text))
    if "<RANGE>" in out:
        out = _RANGE_LIST_RE.sub("<RANGE>", out)
    if "> <" in out:
        out = _DUP_PLACEHOLDER_RE.sub(r"\1", out)
    if "   " in out or "\t" in out:
        out = _WIDE_GAP_RE.sub(" ", out)
    return out.strip()[:MAX_GROUP_CHARS]


def apply_masks(text: str, masks: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, repl in masks:
        text = pattern.sub(repl, text)
    return text


def sample(clean: str) -> str:
    return scrub(_head(clean, MAX_SAMPLE_CHARS + 64))[:MAX_SAMPLE_CHARS]
