"""The pipeline: the raw-data contract, the demo generator, the loader, the quality gate, the build and publish
of the warehouse, the incremental slicing and the generated dbt sources. It imports nothing from readers/ or
devtools/."""
