# nothing

{ }
