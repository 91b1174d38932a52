/*
 * mpi_peer_bench.c -- Open MPI's collectives measured with the same OSU-style loop that
 * Collectives' collbench uses, so the two can be compared point by point.
 *
 * For each collective and message size (float32, MPI_SUM, root 0; for allgather, reduce_scatter,
 * gather and scatter the size is one rank's block, for alltoall one block per pair, as
 * osu_allgather, osu_reduce_scatter, osu_gather, osu_scatter and osu_alltoall count them):
 *   1. check the result once (rank-dependent input against a closed-form answer);
 *   2. warm-up iterations (untimed);
 *   3. timed iterations, each preceded by an untimed MPI_Barrier (as OSU does), so every
 *      iteration starts with the ranks roughly aligned and no pipelining across calls;
 *   4. each rank averages its own call times; rank 0 reports avg/min/max of those
 *      per-rank averages (µs) and algorithm bandwidth = bytes / avg (GB/s).
 * The number of timed iterations shrinks with the message size and is capped further by a
 * time budget per point estimated from the warm-up.
 *
 * Output (stdout, rank 0): CSV with header
 *   library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps
 *
 * Options:
 *   -s LIST   sizes in bytes, comma separated, k/m suffixes (default 4,8,...,16m)
 *   -c LIST   collectives: allreduce,reduce,broadcast,barrier,allgather,reduce_scatter,gather,
 *             scatter,alltoall (default all nine)
 *   -l LABEL  value of the config column (default "default")
 *   -i SCALE  multiply iteration counts and time budget by SCALE (default 1.0)
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_SIZES 64
#define BUDGET_SECONDS 1.0 /* time budget for the timed part of one point, before -i */

enum coll { ALLREDUCE, REDUCE, BROADCAST, BARRIER, ALLGATHER, REDUCE_SCATTER, GATHER, SCATTER, ALLTOALL, NCOLL };
static const char *coll_names[NCOLL] = {"allreduce", "reduce", "broadcast", "barrier", "allgather",
                                        "reduce_scatter", "gather", "scatter", "alltoall"};

static int rank, nranks;

static void die(const char *msg, const char *arg)
{
    if (rank == 0)
        fprintf(stderr, "mpi_peer_bench: %s%s\n", msg, arg ? arg : "");
    MPI_Finalize();
    exit(2);
}

/* "4k" -> 4096, "16m" -> 16777216; 0 on a malformed number. */
static long parse_size(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v <= 0)
        return 0;
    if (*end == 'k' || *end == 'K')
        v <<= 10, end++;
    else if (*end == 'm' || *end == 'M')
        v <<= 20, end++;
    return *end ? 0 : v;
}

/* One call of the collective on count floats. */
static void run_once(enum coll c, float *send, float *recv, int count)
{
    switch (c) {
    case ALLREDUCE: MPI_Allreduce(send, recv, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); break;
    case REDUCE: MPI_Reduce(send, recv, count, MPI_FLOAT, MPI_SUM, 0, MPI_COMM_WORLD); break;
    case BROADCAST: MPI_Bcast(recv, count, MPI_FLOAT, 0, MPI_COMM_WORLD); break;
    case BARRIER: MPI_Barrier(MPI_COMM_WORLD); break;
    case ALLGATHER: MPI_Allgather(send, count, MPI_FLOAT, recv, count, MPI_FLOAT, MPI_COMM_WORLD); break;
    case REDUCE_SCATTER: MPI_Reduce_scatter_block(send, recv, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); break;
    case GATHER: MPI_Gather(send, count, MPI_FLOAT, recv, count, MPI_FLOAT, 0, MPI_COMM_WORLD); break;
    /* As collbench: the root scatters from the buffer of one block per rank into send. */
    case SCATTER: MPI_Scatter(recv, count, MPI_FLOAT, send, count, MPI_FLOAT, 0, MPI_COMM_WORLD); break;
    /* As collbench: in place in the buffer of one block per rank. */
    case ALLTOALL: MPI_Alltoall(MPI_IN_PLACE, count, MPI_FLOAT, recv, count, MPI_FLOAT, MPI_COMM_WORLD); break;
    default: break;
    }
}

/*
 * Run the collective once on known inputs and verify. Rank r contributes
 * (r + 1) + (i % 7) at index i, so the sum is n(n+1)/2 + n * (i % 7): small integers,
 * exact in float32. Broadcast sends the root's values; allgather's block r must hold rank r's,
 * and so must gather's at the root; reduce_scatter sends count * n elements and rank r's result is
 * block r of that sum; scatter's root holds those blocks and rank r must get block r;
 * alltoall's rank r sends rank j (r + 1) * 100 + j + (i % 7) and must get rank i's block for it.
 * Returns the first bad index or -1, agreed on by all ranks.
 */
static long check(enum coll c, float *send, float *recv, int count)
{
    long bad = -1, worst;
    for (int i = 0; i < count; i++) {
        send[i] = (float)(rank + 1 + i % 7);
        recv[i] = c == BROADCAST && rank == 0 ? send[i] : -1.0f;
    }
    if (c == ALLGATHER || c == GATHER) {
        for (long i = 0; i < (long)count * nranks; i++)
            recv[i] = -1.0f;
        run_once(c, send, recv, count);
        int receives = c == ALLGATHER || rank == 0;
        for (long i = 0; receives && i < (long)count * nranks && bad < 0; i++)
            if (recv[i] != (float)(i / count + 1 + (i % count) % 7))
                bad = i;
        MPI_Allreduce(&bad, &worst, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
        return worst;
    }
    if (c == REDUCE_SCATTER) {
        for (long j = 0; j < (long)count * nranks; j++)
            send[j] = (float)(rank + 1 + j % 7);
        run_once(c, send, recv, count);
        for (int i = 0; i < count && bad < 0; i++)
            if (recv[i] != (float)(nranks * (nranks + 1) / 2 + nranks * (((long)rank * count + i) % 7)))
                bad = i;
        MPI_Allreduce(&bad, &worst, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
        return worst;
    }
    if (c == SCATTER) {
        for (long i = 0; i < (long)count * nranks; i++)
            recv[i] = rank == 0 ? (float)(i / count + 1 + (i % count) % 7) : -1.0f;
        for (int i = 0; i < count; i++)
            send[i] = -1.0f;
        run_once(c, send, recv, count);
        for (int i = 0; i < count && bad < 0; i++)
            if (send[i] != (float)(rank + 1 + i % 7))
                bad = i;
        MPI_Allreduce(&bad, &worst, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
        return worst;
    }
    if (c == ALLTOALL) {
        for (long i = 0; i < (long)count * nranks; i++)
            recv[i] = (float)((rank + 1) * 100 + i / count + (i % count) % 7);
        run_once(c, send, recv, count);
        for (long i = 0; i < (long)count * nranks && bad < 0; i++)
            if (recv[i] != (float)((i / count + 1) * 100 + rank + (i % count) % 7))
                bad = i;
        MPI_Allreduce(&bad, &worst, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
        return worst;
    }
    run_once(c, send, recv, count);
    int checks = c == ALLREDUCE || c == BROADCAST || (c == REDUCE && rank == 0);
    for (int i = 0; checks && i < count && bad < 0; i++) {
        float want = c == BROADCAST ? (float)(1 + i % 7)
                                    : (float)(nranks * (nranks + 1) / 2 + nranks * (i % 7));
        if (recv[i] != want)
            bad = i;
    }
    MPI_Allreduce(&bad, &worst, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
    return worst;
}

/* Iteration counts by size, OSU-like: many for small messages, few for large ones. */
static void iterations(long bytes, double scale, int *warmup, int *timed)
{
    int w = 100, t = 1000;
    if (bytes > 8192)
        w = 20, t = 200;
    if (bytes > 1 << 20)
        w = 5, t = 50;
    *warmup = (int)(w * scale) > 1 ? (int)(w * scale) : 1;
    *timed = (int)(t * scale) > 1 ? (int)(t * scale) : 1;
}

static void measure(enum coll c, long bytes, double scale, const char *label,
                    float *send, float *recv)
{
    int count = (int)(bytes / sizeof(float)), warmup, timed;
    iterations(bytes, scale, &warmup, &timed);

    /* Warm-up, timed as a whole only to size the timed phase within the budget. */
    double t0 = MPI_Wtime();
    for (int i = 0; i < warmup; i++) {
        MPI_Barrier(MPI_COMM_WORLD);
        run_once(c, send, recv, count);
    }
    double per_iter = (MPI_Wtime() - t0) / warmup, slowest;
    /* All ranks must run the same number of iterations: take the slowest rank's estimate. */
    MPI_Allreduce(&per_iter, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    long fit = (long)(BUDGET_SECONDS * scale / (slowest > 0 ? slowest : 1e-9));
    if (fit < timed)
        timed = fit > 3 ? (int)fit : 3;

    double total = 0;
    for (int i = 0; i < timed; i++) {
        MPI_Barrier(MPI_COMM_WORLD); /* not counted: aligns ranks before each call */
        double start = MPI_Wtime();
        run_once(c, send, recv, count);
        total += MPI_Wtime() - start;
    }
    double mine = total / timed * 1e6, sum, lo, hi;
    MPI_Reduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&mine, &lo, 1, MPI_DOUBLE, MPI_MIN, 0, MPI_COMM_WORLD);
    MPI_Reduce(&mine, &hi, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        double avg = sum / nranks;
        /* bytes per µs / 1e3 = GB/s; barrier moves no data. */
        printf("openmpi,%s,%s,%ld,%d,%.3f,%.3f,%.3f,%.4f\n", label, coll_names[c], bytes,
               nranks, avg, lo, hi, bytes > 0 ? bytes / avg / 1e3 : 0.0);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    long sizes[MAX_SIZES];
    int nsizes = 0, want[NCOLL] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, opt;
    const char *label = "default";
    double scale = 1.0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);

    for (long b = 4; b <= 16L << 20; b *= 2)
        sizes[nsizes++] = b;

    while ((opt = getopt(argc, argv, "s:c:l:i:")) != -1) {
        char *tok;
        switch (opt) {
        case 's':
            nsizes = 0;
            for (tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
                long b = parse_size(tok);
                if (b <= 0 || b % sizeof(float) != 0 || b > (long)1 << 30)
                    die("size must be a positive multiple of 4 bytes up to 1g: ", tok);
                if (nsizes == MAX_SIZES)
                    die("too many sizes", NULL);
                sizes[nsizes++] = b;
            }
            break;
        case 'c':
            memset(want, 0, sizeof want);
            for (tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
                int found = 0;
                for (int c = 0; c < NCOLL; c++)
                    if (!strcasecmp(tok, coll_names[c]))
                        want[c] = found = 1;
                if (!strcasecmp(tok, "bcast"))
                    want[BROADCAST] = found = 1;
                if (!found)
                    die("unknown collective: ", tok);
            }
            break;
        case 'l': label = optarg; break;
        case 'i':
            scale = atof(optarg);
            if (scale <= 0)
                die("iteration scale must be positive: ", optarg);
            break;
        default: die("usage: mpi_peer_bench [-s sizes] [-c collectives] [-l label] [-i scale]", NULL);
        }
    }
    if (nsizes == 0)
        die("no sizes given", NULL);

    long biggest = 0;
    for (int k = 0; k < nsizes; k++)
        biggest = sizes[k] > biggest ? sizes[k] : biggest;
    /* Allgather and gather receive one block per rank; reduce_scatter sends one per rank; scatter's
     * root sends from the receive buffer, and alltoall exchanges in place in it. */
    float *send = malloc(biggest * nranks), *recv = malloc(biggest * nranks);
    if (!send || !recv)
        die("out of memory", NULL);

    if (rank == 0)
        printf("library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps\n");

    for (int c = 0; c < NCOLL; c++) {
        if (!want[c])
            continue;
        if (c == BARRIER) { /* no payload: one point */
            measure(BARRIER, 0, scale, label, send, recv);
            continue;
        }
        for (int k = 0; k < nsizes; k++) {
            int count = (int)(sizes[k] / sizeof(float));
            long bad = check((enum coll)c, send, recv, count);
            if (bad >= 0) {
                if (rank == 0)
                    fprintf(stderr, "mpi_peer_bench: wrong %s result at %ld bytes, element %ld\n",
                            coll_names[c], sizes[k], bad);
                MPI_Finalize();
                return 1;
            }
            measure((enum coll)c, sizes[k], scale, label, send, recv);
        }
    }
    free(send);
    free(recv);
    MPI_Finalize();
    return 0;
}
