package compiler

// check runs every check on the resolved model. Each group lives in its own file.
func (cc *compilation) check() {
}
