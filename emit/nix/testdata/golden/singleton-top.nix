{ foo.bar = "baz"; }
