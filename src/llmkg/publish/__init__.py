"""Getting the graph out: dumps, VoID, loads into external stores, ontology docs."""
