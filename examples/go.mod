module gcheck.examples

go 1.27
