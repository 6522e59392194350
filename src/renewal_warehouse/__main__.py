from renewal_warehouse.cli import console_main

console_main()
