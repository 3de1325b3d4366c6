package compiler_test

func serviceTests() []diagTest   { return nil }
func channelTests() []diagTest   { return nil }
func generatorTests() []diagTest { return nil }
func userTests() []diagTest      { return nil }
func cacheTests() []diagTest     { return nil }
func phaseTests() []diagTest     { return nil }
