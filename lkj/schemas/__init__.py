"""What each table family and store table looks like: one place per fact."""
