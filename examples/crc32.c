/* CRC-32 (the one zip and PNG use: reflected, polynomial 0xEDB88320) of each argument, or of
   "123456789" (whose CRC is CBF43926), with unsigned arithmetic: right shifts that bring in
   zeros, XOR, and a value above INT_MAX. Try: loopmlp run examples/crc32.c -- hello world */
#include <stdio.h>
#include <string.h>

unsigned crc32(const char *text, size_t length)
{
    unsigned crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++) {
        crc ^= (unsigned char)text[i];
        for (int bit = 0; bit < 8; bit++)
            crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("%08X  123456789\n", crc32("123456789", 9));
        return 0;
    }
    for (int k = 1; k < argc; k++)
        printf("%08X  %s\n", crc32(argv[k], strlen(argv[k])), argv[k]);
    return 0;
}
