#include "CFuzzerDriver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*one_input)(const uint8_t *, size_t))
    __attribute__((weak));

int mizan_fuzzer_linked(void) { return LLVMFuzzerRunDriver != 0; }

int mizan_fuzzer_run(int argc, char **argv, int (*one_input)(const uint8_t *data, size_t size)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(&argc, &argv, one_input);
}
