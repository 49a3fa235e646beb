"""Many reports at once: worker processes with limits (batch), a Dask cluster (cluster), and
the pipeline over them: read, check and store each file (ingest), check and write (check)."""
