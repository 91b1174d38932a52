/*
 * loopback_exchange.c -- what loopback TCP itself can do on this machine: two processes send
 * each other N bytes at once, each with a sending thread and a receiving thread, as two ranks of
 * a large allreduce do at every step; or, with one-way, one process sends N bytes to the other,
 * as a 2-rank broadcast or reduce does. No library, no reduction, no framing: the kernel's
 * copies into and out of the socket buffers and nothing else, so the time is a floor for any
 * library that moves those bytes over TCP here (ours, Open MPI's, Gloo's).
 *
 *   cc -O2 -pthread loopback_exchange.c -o loopback_exchange
 *   ./loopback_exchange BYTES ROUNDS [exchange|one-way] [PORT]   # prints the median and fastest round
 *
 * Each round starts after a one-byte handshake, so neither side runs ahead of the other.
 */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static size_t bytes;
static int peer;
static char *outgoing, *incoming;

static void fail(const char *what) { perror(what); exit(1); }

static void *send_all(void *unused)
{
  (void)unused;
  for (size_t done = 0; done < bytes;) {
    ssize_t sent = send(peer, outgoing + done, bytes - done, 0);
    if (sent <= 0) fail("send");
    done += (size_t)sent;
  }
  return NULL;
}

static void receive_all(void)
{
  for (size_t done = 0; done < bytes;) {
    ssize_t received = recv(peer, incoming + done, bytes - done, 0);
    if (received <= 0) fail("recv");
    done += (size_t)received;
  }
}

static double seconds(void)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int ascending(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: %s BYTES ROUNDS [exchange|one-way] [PORT]\n", argv[0]);
    return 2;
  }

  bytes = strtoull(argv[1], NULL, 0);
  int rounds = atoi(argv[2]);
  const char *mode = argc > 3 ? argv[3] : "exchange";
  int port = argc > 4 ? atoi(argv[4]) : 39123;
  if (bytes == 0 || rounds <= 0) {
    fprintf(stderr, "%s: BYTES and ROUNDS must be positive\n", argv[0]);
    return 2;
  }

  int one_way = strcmp(mode, "one-way") == 0;
  if (!one_way && strcmp(mode, "exchange") != 0) {
    fprintf(stderr, "%s: mode '%s' is neither exchange nor one-way\n", argv[0], mode);
    return 2;
  }

  // Touched before the first round, so no round pays for faulting the buffers in.
  outgoing = malloc(bytes);
  incoming = malloc(bytes);
  if (!outgoing || !incoming) fail("malloc");
  memset(outgoing, 1, bytes);
  memset(incoming, 0, bytes);

  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  int one = 1;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1)) fail("bind");

  pid_t child = fork();
  if (child < 0) fail("fork");
  if (child == 0) {
    close(listener);
    peer = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(peer, (struct sockaddr *)&address, sizeof address)) fail("connect");
  } else {
    peer = accept(listener, NULL, NULL);
    if (peer < 0) fail("accept");
    close(listener);
  }

  setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  double *times = malloc(sizeof(double) * (size_t)rounds);
  const int warmup = 3;
  for (int round = -warmup; round < rounds; round++) {
    char token = 0;
    if (child) {
      if (send(peer, &token, 1, 0) != 1 || recv(peer, &token, 1, MSG_WAITALL) != 1) fail("handshake");
    } else {
      if (recv(peer, &token, 1, MSG_WAITALL) != 1 || send(peer, &token, 1, 0) != 1) fail("handshake");
    }

    // One way, the child sends and the parent (which reports) receives: the round ends when the
    // last byte is in the receiver's buffer, as a call ends at the receiving rank.
    double start = seconds();
    if (one_way) {
      if (child) receive_all(); else send_all(NULL);
    } else {
      pthread_t sender;
      if (pthread_create(&sender, NULL, send_all, NULL)) fail("pthread_create");
      receive_all();
      pthread_join(sender, NULL);
    }

    if (round >= 0) times[round] = seconds() - start;
  }

  if (child == 0) return 0;
  waitpid(child, NULL, 0);
  qsort(times, (size_t)rounds, sizeof(double), ascending);
  double median = times[rounds / 2];
  printf("%zu bytes %s: median %.0f us, fastest %.0f us (%.2f GB/s %s at the median)\n",
         bytes, one_way ? "one way" : "each way", median * 1e6, times[0] * 1e6, (double)bytes / median / 1e9,
         one_way ? "one way" : "each way");
  return 0;
}
