package testrng

import "testing"

func TestSeed(t *testing.T) {
	a, err := Seed("TestA", "")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := Seed("TestA", ""); b != a {
		t.Errorf("the default seed of one name changed: %d, %d", a, b)
	}
	if b, _ := Seed("TestB", ""); b == a {
		t.Errorf("two names gave the same default seed %d", a)
	}
	if n, err := Seed("TestA", "42"); err != nil || n != 42 {
		t.Errorf("SOFTMAX_FAST_SEED=42: %d, %v", n, err)
	}
	if _, err := Seed("TestA", "random"); err != nil {
		t.Errorf("SOFTMAX_FAST_SEED=random: %v", err)
	}
	for _, bad := range []string{"-1", "x", "1.5"} {
		if _, err := Seed("TestA", bad); err == nil {
			t.Errorf("SOFTMAX_FAST_SEED=%s: no error", bad)
		}
	}
}

func TestNewRepeats(t *testing.T) {
	t.Setenv("SOFTMAX_FAST_SEED", "7")
	if a, b := New(t).Uint64(), New(t).Uint64(); a != b {
		t.Errorf("one seed, two sequences: %d, %d", a, b)
	}
}
