"""failure_data: field failure logs in, one validated `LifeTable` out.

Import cost matters (the CLI's --help must be fast), so the public names are
loaded on first use.
"""

from __future__ import annotations

from failure_data._lazy import lazy_exports

_EXPORTS = {
    "LifeTable": "failure_data.table",
    "Provenance": "failure_data.table",
    "DataError": "failure_data.errors",
    "DataValidationError": "failure_data.errors",
    "Problem": "failure_data.errors",
    "TimeUnit": "failure_data.units",
    "CatalogEntry": "failure_data.catalog",
    "load_catalog": "failure_data.catalog",
    "catalog_frame": "failure_data.catalog",
    "parse_duration": "failure_data.units",
    "read_life_table": "failure_data.readers",
    "detect_format": "failure_data.readers",
    "LogFormat": "failure_data.readers",
    "samples_path": "failure_data.readers",
    "read_events": "failure_data.events",
    "EventLog": "failure_data.events",
    "write_life_table": "failure_data.writers",
    "synthesize": "failure_data.synth",
    "Telemetry": "failure_data.telemetry",
    "read_telemetry": "failure_data.telemetry",
    "synthesize_telemetry": "failure_data.telemetry",
    "SynthSpec": "failure_data.synth",
}

__getattr__, __all__ = lazy_exports(__name__, _EXPORTS)
