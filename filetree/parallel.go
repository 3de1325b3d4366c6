package filetree

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach calls fn(i) for i in [0, n) on a few goroutines: creating and reading thousands of
// small files is dominated by system calls, which overlap. It returns the error of the
// smallest i that failed, so the error does not depend on scheduling. After a failure it
// stops handing out work.
func forEach(n int, fn func(i int) error) error {
	workers := min(n, max(4, 2*runtime.GOMAXPROCS(0)))
	errs := make([]error, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if errs[i] = fn(i); errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
