"""llmkg: the LLM-landscape catalog as a knowledge graph."""

__version__ = "0.1.0"
