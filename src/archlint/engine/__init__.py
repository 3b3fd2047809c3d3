"""The pipeline: discover files, extract facts (parallel, cached), build the project,
run rules, apply suppressions. Nothing here prints."""
