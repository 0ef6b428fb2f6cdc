"""Import and export of the newsroom archive in IPTC ninjs 2.1 (JSON Lines)."""
