#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for programs with their own main. Weak: an ordinary
/// build has no libFuzzer and the symbol stays null; `make fuzz` links
/// libclang_rt.fuzzer_no_main and forces it in (-u LLVMFuzzerRunDriver).
int mizan_fuzzer_linked(void);
int mizan_fuzzer_run(int argc, char **argv, int (*one_input)(const uint8_t *data, size_t size));

#endif
