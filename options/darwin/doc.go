package darwin
