from llmkg.cli import main

if __name__ == "__main__":  # not when a query worker process imports the main module
    main()
