"""`llmkg serve`: a read-only SPARQL endpoint, Linked Data pages, a query UI
and pictures over the embedded store (Starlette + uvicorn).

Imported only by the `serve` command (server.py starts it): nothing here loads
for other commands.
"""
