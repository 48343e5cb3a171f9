"""Dagster's standard metadata for the lake-backed assets of every domain: row count, column schema
and where the data lives (dagster/uri), for a whole lake table or for one partition's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import pyarrow.parquet as pq

from bloqr_dagster.warehouse import lake


def lake_metadata(lake_dir: Path, table: str, file_key: str | None = None) -> dict[str, Any]:
    """Rows (from the Parquet footers, no data read), columns and location of `table`, or of its file
    `file_key` (a partition's) when given."""
    folder = lake.table_dir(lake_dir, table)
    files = [folder / f"{file_key}.parquet"] if file_key else sorted(folder.glob("*.parquet"))
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files if f.exists())
    where = files[0] if file_key else folder
    columns = [dg.TableColumn(f.name, str(f.type)) for f in lake.spec(table).schema]
    return {"dagster/row_count": rows, "dagster/column_schema": dg.TableSchema(columns=columns),
            "path": dg.MetadataValue.path(str(where)), "dagster/uri": where.as_uri()}
