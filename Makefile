# The commands a newcomer, a technician's laptop and CI all use.
SWIFT ?= swift

.PHONY: setup build test bench demo clean

## Install missing system packages (apt) the build needs.
setup:
	@scripts/install-dependencies.sh

build: setup
	$(SWIFT) build

## Install what is missing, build, and run every test.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Install what is missing, build, and run a short day against the real
## daemon on the simulator: two households, three materials, their credit.
demo: setup
	$(SWIFT) build
	.build/debug/mizan-sim demo --daemon .build/debug/mizand

## Benchmarks: figures printed, nothing asserted.
bench: setup
	$(SWIFT) build -c release
	.build/release/mizan-bench
	.build/release/mizan-sim bench --daemon .build/release/mizand

clean:
	$(SWIFT) package clean
