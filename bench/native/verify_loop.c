/*
 * The physical limit for the crypto benchmark: the BIP340 verify loop of the .NET binding,
 * written in C against the same system libsecp256k1, with no managed runtime in between.
 *
 * Usage: verify_loop INPUT SECONDS
 *   INPUT    records of 128 bytes: x-only public key (32), message (32), signature (64),
 *            written by the .NET benchmark so both loops check the very same signatures
 *   SECONDS  how long to measure, after a short warm-up
 * Prints the verifications per second on one core. Every iteration parses the key and
 * verifies, exactly as Exchange.Core's Schnorr.Verify does.
 */
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RECORD = 128, MAX_RECORDS = 1 << 16 };

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One pass over every record; returns how many verified. */
static long verify_all(const secp256k1_context *ctx, const unsigned char *records, long count) {
    long valid = 0;
    for (long i = 0; i < count; i++) {
        const unsigned char *r = records + i * RECORD;
        secp256k1_xonly_pubkey key;
        if (secp256k1_xonly_pubkey_parse(ctx, &key, r) &&
            secp256k1_schnorrsig_verify(ctx, r + 64, r + 32, 32, &key))
            valid++;
    }
    return valid;
}

/* Runs whole passes until at least `seconds` have gone by; returns verifications per second. */
static double measure(const secp256k1_context *ctx, const unsigned char *records, long count, double seconds) {
    long done = 0;
    double start = now_seconds(), elapsed;
    do {
        if (verify_all(ctx, records, count) != count) {
            fprintf(stderr, "verify_loop: a signature stopped verifying\n");
            exit(3);
        }
        done += count;
        elapsed = now_seconds() - start;
    } while (elapsed < seconds);
    return (double)done / elapsed;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: verify_loop INPUT SECONDS\n");
        return 2;
    }
    double seconds = atof(argv[2]);
    if (seconds <= 0) {
        fprintf(stderr, "verify_loop: SECONDS must be positive\n");
        return 2;
    }

    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    unsigned char *records = malloc((size_t)MAX_RECORDS * RECORD);
    long count = records ? (long)(fread(records, RECORD, MAX_RECORDS, f)) : 0;
    fclose(f);
    if (count == 0) {
        fprintf(stderr, "verify_loop: %s holds no 128-byte records\n", argv[1]);
        return 2;
    }

    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (verify_all(ctx, records, count) != count) {
        fprintf(stderr, "verify_loop: the input holds signatures that do not verify\n");
        return 3;
    }

    /* Warm-up: brings the clock frequency, caches and branch predictors to their steady state. */
    measure(ctx, records, count, seconds < 0.2 ? seconds : 0.2);
    printf("%.1f\n", measure(ctx, records, count, seconds));

    secp256k1_context_destroy(ctx);
    free(records);
    return 0;
}
