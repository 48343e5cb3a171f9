"""Ruby's Bundler (Jekyll and other Ruby site generators)."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import rule

DETECTOR = Detector("bundler", "bundler", (
    rule("bundler-install", "dependency_install_failed",
         r"There was an error parsing .Gemfile.|Could not find gem |Bundler::GemNotFound"
         r"|An error occurred while installing .+, and Bundler cannot continue"
         r"|Your Ruby version is .+, but your Gemfile specified|Could not locate Gemfile",
         "gemfile", "could not find gem", "bundler", priority=70),
))
