/* A test-only stand-in for bcryptprimitives.dll's ProcessPrng, which Rust's
 * std calls for random bytes (HashMap seeds) on Windows 10 / Server 2016 and
 * later, and which Wine 8 does not export. Built with MinGW by
 * scripts/wine-run.sh and placed beside the exe under test, never shipped:
 * real Windows has the real one. It fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
