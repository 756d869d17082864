"""One module per extension of moto's API Gateway; server.py loads them all, in name order."""
