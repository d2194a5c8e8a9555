// Command write_reports writes one CSV report per customer.
//
// Real-world pattern: an export job that opens a file per item and defers
// its Close inside the loop (a classic in backup and report tools). Each
// defer runs only when writeReports returns, so every report file stays
// open until the whole export is done: with enough customers the process
// runs out of file descriptors ("too many open files") half-way through.
//
// oracle: skip the files are all closed when writeReports returns; holding them across iterations is not a runtime failure
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

type customer struct {
	id     int
	name   string
	orders []int
}

func writeReports(dir string, customers []customer) error {
	for _, c := range customers {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("customer-%d.csv", c.id)))
		if err != nil {
			return err
		}
		defer f.Close() // want defer-in-loop "every file opened by os.Create .* stays open"
		fmt.Fprintf(f, "customer,%s\n", c.name)
		for _, o := range c.orders {
			fmt.Fprintf(f, "order,%d\n", o)
		}
	}
	return nil
}

func main() {
	dir, err := os.MkdirTemp("", "reports")
	if err != nil {
		fmt.Println("tempdir:", err)
		return
	}
	defer os.RemoveAll(dir)
	customers := []customer{
		{1, "ada", []int{10, 11}},
		{2, "grace", []int{12}},
		{3, "linus", nil},
	}
	if err := writeReports(dir, customers); err != nil {
		fmt.Println("export:", err)
		return
	}
	fmt.Println("wrote", len(customers), "reports")
}
