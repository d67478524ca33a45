"""The morning-peak load benchmark (bench/peak.py): settings, URLs and the locust scenario."""
