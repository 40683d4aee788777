from llmkg.cli import main

main()
