"""Side-by-side benchmarks of PACS Desktop against its peers."""
