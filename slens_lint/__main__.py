from slens_lint.cli import main

main()
