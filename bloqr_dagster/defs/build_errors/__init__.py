"""Build-failure analytics in Dagster: build-ID range partitions, the build-error assets, their
checks, the sensors that keep them current, the job that scans ranges, and the store resource
(resources.py). The defs folder loader finds them in those modules.
"""
