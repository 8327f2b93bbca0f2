# The commands a newcomer, a technician's laptop and CI all use.
SWIFT ?= swift
# Release binaries as the package ships them: the Swift runtime and
# Foundation linked in (a board has no toolchain); `make bench` measures these.
RELEASE = $(SWIFT) build -c release --static-swift-stdlib

.PHONY: setup build test test-gpio power-cuts fuzz sanitize soak lint format bench deb demo hostile screens docs clean

## Install missing system packages (apt) the build needs.
setup:
	@scripts/install-dependencies.sh

build: setup
	$(SWIFT) build

## Install what is missing, build, and run every test: the formatting
## lint, the package's tests, the GPIO drivers against the kernel's
## gpio-sim in a VM, 20 power cuts of that VM, the Debian package built,
## linted, installed, upgraded and removed in that VM, and every fuzz
## target for 30 s under AddressSanitizer. The suite under the sanitizers is
## `make sanitize`: its two builds and runs (about 25 minutes each on two
## cores) do not fit in CI's 90 minutes beside the rest.
test: setup lint
	$(SWIFT) build --build-tests
	$(SWIFT) test
	scripts/vm/run-tests-in-vm.sh
	scripts/vm/power-cuts.sh 20
	scripts/deb/build.sh
	scripts/deb/install-test-in-vm.sh
	scripts/fuzz.sh 30

## The code's formatting (.swift-format, lines up to 120), as swift format
## checks it; `make format` applies it.
SOURCES = Sources Simulator Tests Benchmarks Fuzz Package.swift
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SOURCES)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(SOURCES)

## The gpio-sim tier alone: builds the small kernel once (cached under
## ~/.cache/mizan), boots it under qemu, runs MizanGPIOKernelTests inside.
test-gpio: setup
	$(SWIFT) build --build-tests
	scripts/vm/run-tests-in-vm.sh

## The power-cut tier alone: mizand on an ext4 disk in the VM, qemu
## killed at random moments, the ledger checked after every boot.
POWER_CUTS ?= 20
power-cuts: setup
	$(SWIFT) build
	scripts/vm/power-cuts.sh $(POWER_CUTS)

## libFuzzer over every byte parser and request decoder (FUZZ_SECONDS each,
## from the seeds in Fuzz/Corpus/); prints executions and crashes.
FUZZ_SECONDS ?= 30
fuzz: setup
	scripts/fuzz.sh $(FUZZ_SECONDS)

## The test suite under ThreadSanitizer and AddressSanitizer.
sanitize: setup
	scripts/sanitize.sh thread address

## The long runs, with their figures: 1,000 SIGKILLs of the ledger
## mid-commit and 1,000 power cuts of the VM (hours under qemu's emulation).
soak: setup
	$(SWIFT) build --build-tests
	MIZAN_SIGKILLS=1000 $(SWIFT) test --skip-build --filter CrashTests
	scripts/vm/power-cuts.sh 1000

## Install what is missing, build, and run a short day against the real
## daemon on the simulator: two households, three materials, their credit;
## it prints the household screen's URL, and writes what each household saw
## on it to .build/demo-screens/.
demo: setup
	$(SWIFT) build
	.build/debug/mizan-sim demo --daemon .build/debug/mizand --screens .build/demo-screens

## Hostile use replayed against the real daemon (HTTP, control socket,
## names, files, configuration); it must end in service, its descriptors
## and memory back, the ledger verifying. Also run by make test.
hostile: setup
	$(SWIFT) build
	.build/debug/mizan-sim hostile --daemon .build/debug/mizand

## The household screen's screenshots in docs/screens/ (800×480, Arabic),
## taken in headless Chromium while a visit is played against the real
## daemon; a test fails when a state of the screen has none.
screens: setup
	$(SWIFT) build
	.build/debug/mizan-sim screens --daemon .build/debug/mizand --out docs/screens

## Benchmarks: figures printed, nothing asserted.
bench: setup
	$(RELEASE)
	.build/release/mizan-bench
	.build/release/mizan-sim bench --daemon .build/release/mizand
	.build/release/mizan-sim hub-bench

## The kiosk's Debian package for this machine's architecture into dist/
## (debian/, built by debhelper; on an arm64 board the arm64 package), its
## size and lintian's verdict.
deb: setup
	scripts/deb/build.sh

## Man pages and shell completions for packaging, into dist/ (from the
## same source as --help: swift-argument-parser's generate-manual plugin).
docs: setup
	$(SWIFT) package generate-manual
	mkdir -p dist/man/man1 dist/completions
	cp .build/plugins/GenerateManual/outputs/*/*.1 dist/man/man1/
	$(SWIFT) build --product mizanctl
	for shell in bash zsh fish; do \
		.build/debug/mizanctl --generate-completion-script $$shell > dist/completions/mizanctl.$$shell; \
	done

clean:
	$(SWIFT) package clean
