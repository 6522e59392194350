"""Developer tools: the benchmark (bench) and the warehouse comparisons (compare). May import anything."""
