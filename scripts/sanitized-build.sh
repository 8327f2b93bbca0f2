# Sourced by sanitize.sh and fuzz.sh: one build directory per sanitizer,
# with the same flags whoever builds there, so that `make fuzz` after
# `make sanitize` (as in make test) links mizan-fuzz from objects already
# built.
#
# AddressSanitizer builds also carry libFuzzer's coverage (inline 8-bit
# counters, PC tables, comparison tracing) and link libFuzzer without its
# main (mizan-fuzz has its own, which hands over to LLVMFuzzerRunDriver);
# in the test binaries that costs a little speed and changes nothing else.

# sanitized_build thread|address [swift build arguments…]
sanitized_build() {
    local sanitizer=$1
    shift
    case $sanitizer in
    thread)
        swift build --sanitize=thread --scratch-path .build/tsan "$@"
        ;;
    address)
        local toolchain runtime
        toolchain="$(dirname "$(readlink -f "$(command -v swiftc)")")/.."
        runtime="$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -1)"
        if [[ -z $runtime ]]; then
            echo "error: the toolchain at $toolchain has no libclang_rt.fuzzer_no_main for $(uname -m)" >&2
            return 2
        fi
        swift build --sanitize=address --scratch-path .build/asan \
            -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
            -Xlinker -u -Xlinker LLVMFuzzerRunDriver -Xlinker "$runtime" -Xlinker -lstdc++ "$@"
        ;;
    *)
        echo "error: no sanitizer $sanitizer (thread or address)" >&2
        return 2
        ;;
    esac
}
