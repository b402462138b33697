"""The Kirklees demo pack: partner and insight files generated from the seed report."""
