"""The auditor's page: findings as one HTML file, each on a crop of the page it rests on."""
