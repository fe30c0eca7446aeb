"""`controlmap import`, by job: labels and factions, reading the inputs, the overlay, writing the dataset.
layers/tools/importer.py runs them in order."""
