// Command write_reports_fixed writes one CSV report per customer.
//
// Fixed twin of write_reports: each report is written by its own function,
// so its deferred Close runs at the end of every iteration and at most one
// report file is open at a time.
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

func writeReport(dir string, c customer) error {
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("customer-%d.csv", c.id)))
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(f, "customer,%s\n", c.name)
	for _, o := range c.orders {
		fmt.Fprintf(f, "order,%d\n", o)
	}
	return nil
}

func writeReports(dir string, customers []customer) error {
	for _, c := range customers {
		if err := writeReport(dir, c); err != nil {
			return err
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
