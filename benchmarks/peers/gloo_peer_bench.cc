// gloo_peer_bench.cc -- Gloo's collectives over its TCP transport on loopback, measured with the
// loop mpi_peer_bench.c uses (and collbench), one process per rank, file-store rendezvous.
// Adapted from the anchor /work/shared/anchors/gloo_bench.cc; run-gloo.sh starts the ranks.
//
// Usage: gloo_peer_bench RANK NRANKS STORE_DIR ALGORITHM [-s sizes] [-l label] [-i scale]
//   ALGORITHM  one Gloo algorithm (run-gloo.sh starts fresh processes per algorithm):
//              allreduce: ring ring_chunked halving_doubling bcube new_ring new_bcube
//              reduce: new     broadcast: new one_to_all     barrier: new all_to_one all_to_all
//              written <collective>/<algorithm>, e.g. allreduce/ring_chunked
//   -s LIST    sizes in bytes, comma separated, k/m/g suffixes (default 8,4k,256k,4m,16m)
//   -l LABEL   the config column's prefix (default "default"); the algorithm is appended: np4_tcp/ring
//   -i SCALE   multiply iteration counts and time budget by SCALE (default 1.0)
//
// Per size (float32, sum, root 0): warm-up (100 calls up to 8 KiB, 20 up to 1 MiB, 5 above), then
// timed calls (1000 / 200 / 50, capped to about 1 s at the warm-up's pace, slowest rank's
// estimate), each preceded by an untimed barrier; barrier itself is timed back to back. Each
// rank averages its own call times; rank 0 prints avg/min/max over ranks in the CSV layout
//   library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps
// Afterwards each algorithm is checked once on rank-dependent data; a wrong result exits 1.
#include <gloo/allreduce.h>
#include <gloo/allreduce_bcube.h>
#include <gloo/allreduce_halving_doubling.h>
#include <gloo/allreduce_ring.h>
#include <gloo/allreduce_ring_chunked.h>
#include <gloo/barrier.h>
#include <gloo/barrier_all_to_all.h>
#include <gloo/barrier_all_to_one.h>
#include <gloo/broadcast.h>
#include <gloo/broadcast_one_to_all.h>
#include <gloo/math.h>
#include <gloo/reduce.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr double kBudgetSeconds = 1.0;  // timed part of one point, before -i (as mpi_peer_bench.c)

std::shared_ptr<gloo::rendezvous::Context> ctx;
int rank_, nranks;
std::vector<float> sbuf, rbuf;

using RedFn = void (*)(void*, const void*, const void*, size_t);
const RedFn fsum = static_cast<RedFn>(&gloo::sum<float>);
const RedFn dsum = static_cast<RedFn>(&gloo::sum<double>);
const RedFn dmin = static_cast<RedFn>(&gloo::min<double>);
const RedFn dmax = static_cast<RedFn>(&gloo::max<double>);

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Bookkeeping collectives on doubles, on tags of their own so they never meet a measured call.
double allreduce_d(double v, RedFn fn, uint32_t tag) {
  double out = 0;
  gloo::AllreduceOptions o(ctx);
  o.setInput(&v, 1);
  o.setOutput(&out, 1);
  o.setReduceFunction(fn);
  o.setTag(tag);
  gloo::allreduce(o);
  return out;
}

void untimed_barrier() {
  gloo::BarrierOptions o(ctx);
  o.setTag(7);
  gloo::barrier(o);
}

struct Test {
  std::function<void()> run;       // one timed call
  std::function<bool()> validate;  // one untimed call on rank-dependent data, then a check
};

void fill(size_t n, float v) { std::fill(rbuf.begin(), rbuf.begin() + n, v); }
bool all_equal(size_t n, float v) { return std::all_of(rbuf.begin(), rbuf.begin() + n, [v](float x) { return x == v; }); }
void fill_pattern(size_t n) { for (size_t i = 0; i < n; i++) rbuf[i] = (float)(i % 1000); }
bool is_pattern(size_t n) {
  for (size_t i = 0; i < n; i++)
    if (rbuf[i] != (float)(i % 1000)) return false;
  return true;
}

// The algorithm objects and option structs are built once per size (buffer registration is
// setup, not timed). In-place old-API allreduces time zero-filled buffers, so repeated summing
// cannot overflow.
Test make_test(const std::string& collective, const std::string& algorithm, size_t bytes) {
  const size_t count = bytes / sizeof(float);
  const float expect = (float)nranks * (nranks + 1) / 2.0f, mine = (float)(rank_ + 1);
  float* sp = sbuf.data();
  float* rp = rbuf.data();
  std::shared_ptr<gloo::Algorithm> old;
  if (collective == "allreduce") {
    if (algorithm == "ring") old = std::make_shared<gloo::AllreduceRing<float>>(ctx, std::vector<float*>{rp}, (int)count);
    if (algorithm == "ring_chunked") old = std::make_shared<gloo::AllreduceRingChunked<float>>(ctx, std::vector<float*>{rp}, (int)count);
    if (algorithm == "halving_doubling") old = std::make_shared<gloo::AllreduceHalvingDoubling<float>>(ctx, std::vector<float*>{rp}, (int)count);
    if (algorithm == "bcube") old = std::make_shared<gloo::AllreduceBcube<float>>(ctx, std::vector<float*>{rp}, (int)count);
    if (old) {
      fill(count, 0.0f);
      return {[=] { old->run(); }, [=] { fill(count, mine); old->run(); return all_equal(count, expect); }};
    }
    if (algorithm == "new_ring" || algorithm == "new_bcube") {
      auto o = std::make_shared<gloo::AllreduceOptions>(ctx);
      o->setAlgorithm(algorithm == "new_ring" ? gloo::AllreduceOptions::Algorithm::RING : gloo::AllreduceOptions::Algorithm::BCUBE);
      o->setInput(sp, count);
      o->setOutput(rp, count);
      o->setReduceFunction(fsum);
      o->setTag(1);
      return {[=] { gloo::allreduce(*o); }, [=] { fill(count, -1.0f); gloo::allreduce(*o); return all_equal(count, expect); }};
    }
  }
  if (collective == "reduce" && algorithm == "new") {
    auto o = std::make_shared<gloo::ReduceOptions>(ctx);
    o->setInput(sp, count);
    o->setOutput(rp, count);
    o->setRoot(0);
    o->setReduceFunction(fsum);
    o->setTag(2);
    return {[=] { gloo::reduce(*o); }, [=] { fill(count, -1.0f); gloo::reduce(*o); return rank_ != 0 || all_equal(count, expect); }};
  }
  if (collective == "broadcast") {
    std::function<void()> run;
    if (algorithm == "new") {
      auto o = std::make_shared<gloo::BroadcastOptions>(ctx);
      o->setOutput(rp, count);
      o->setRoot(0);
      o->setTag(3);
      run = [=] { gloo::broadcast(*o); };
    } else if (algorithm == "one_to_all") {
      auto b = std::make_shared<gloo::BroadcastOneToAll<float>>(ctx, std::vector<float*>{rp}, count, 0);
      run = [=] { b->run(); };
    }
    if (run) {
      return {run, [=] {
                if (rank_ == 0) fill_pattern(count); else fill(count, -1.0f);
                run();
                return is_pattern(count);
              }};
    }
  }
  if (collective == "barrier") {
    std::shared_ptr<gloo::Algorithm> b;
    if (algorithm == "all_to_one") b = std::make_shared<gloo::BarrierAllToOne>(ctx, 0);
    if (algorithm == "all_to_all") b = std::make_shared<gloo::BarrierAllToAll>(ctx);
    if (b) return {[=] { b->run(); }, [] { return true; }};
    if (algorithm == "new") {
      return {[] {
                gloo::BarrierOptions o(ctx);
                o.setTag(4);
                gloo::barrier(o);
              },
              [] { return true; }};
    }
  }
  fprintf(stderr, "gloo_peer_bench: unknown algorithm %s/%s\n", collective.c_str(), algorithm.c_str());
  exit(2);
}

// As mpi_peer_bench.c: many calls for small messages, few for large ones.
void iterations(size_t bytes, double scale, int* warmup, int* timed) {
  int w = 100, t = 1000;
  if (bytes > 8192) w = 20, t = 200;
  if (bytes > (1 << 20)) w = 5, t = 50;
  *warmup = std::max(1, (int)(w * scale));
  *timed = std::max(1, (int)(t * scale));
}

// One CSV row (rank 0); false when the algorithm's result is wrong.
bool measure(const std::string& collective, const std::string& algorithm, size_t bytes, double scale, const std::string& label) {
  Test t = make_test(collective, algorithm, bytes);
  const bool is_barrier = collective == "barrier";
  int warmup, timed;
  iterations(bytes, scale, &warmup, &timed);
  untimed_barrier();
  double t0 = now();
  for (int i = 0; i < warmup; i++) {
    if (!is_barrier) untimed_barrier();
    t.run();
  }
  // Every rank must run the same count: size it from the slowest rank's pace.
  double slowest = allreduce_d((now() - t0) / warmup, dmax, 101);
  long fit = (long)(kBudgetSeconds * scale / (slowest > 0 ? slowest : 1e-9));
  if (fit < timed) timed = fit > 3 ? (int)fit : 3;

  double total = 0;
  if (is_barrier) {
    untimed_barrier();
    double start = now();
    for (int i = 0; i < timed; i++) t.run();
    total = now() - start;
  } else {
    for (int i = 0; i < timed; i++) {
      untimed_barrier();  // not counted: aligns the ranks before each call
      double start = now();
      t.run();
      total += now() - start;
    }
  }
  double mine = total / timed * 1e6;
  double sum = allreduce_d(mine, dsum, 102), lo = allreduce_d(mine, dmin, 103), hi = allreduce_d(mine, dmax, 104);
  bool ok = allreduce_d(t.validate() ? 0.0 : 1.0, dmax, 105) == 0.0;
  if (rank_ == 0 && ok) {
    double avg = sum / nranks;
    printf("gloo,%s/%s,%s,%zu,%d,%.3f,%.3f,%.3f,%.4f\n", label.c_str(), algorithm.c_str(), collective.c_str(), bytes, nranks, avg, lo,
           hi, bytes > 0 ? bytes / avg / 1e3 : 0.0);
    fflush(stdout);
  }
  if (rank_ == 0 && !ok) fprintf(stderr, "gloo_peer_bench: wrong %s/%s result at %zu bytes\n", collective.c_str(), algorithm.c_str(), bytes);
  return ok;
}

// "4k" -> 4096, "16m" -> 16777216; 0 on a malformed number.
size_t parse_size(const std::string& s) {
  char* end;
  unsigned long long v = strtoull(s.c_str(), &end, 10);
  switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
  }
  return *end == '\0' && end != s.c_str() ? (size_t)v : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || std::string(argv[4]).find('/') == std::string::npos) {
    fprintf(stderr, "usage: %s RANK NRANKS STORE_DIR COLLECTIVE/ALGORITHM [-s sizes] [-l label] [-i scale]\n", argv[0]);
    return 2;
  }
  rank_ = atoi(argv[1]);
  nranks = atoi(argv[2]);
  std::string store_dir = argv[3], test = argv[4];
  std::string collective = test.substr(0, test.find('/')), algorithm = test.substr(test.find('/') + 1);
  std::string sizes_text = "8,4k,256k,4m,16m", label = "default";
  double scale = 1.0;
  optind = 5;
  for (int opt; (opt = getopt(argc, argv, "s:l:i:")) != -1;) {
    switch (opt) {
      case 's': sizes_text = optarg; break;
      case 'l': label = optarg; break;
      case 'i': scale = atof(optarg); break;
      default: return 2;
    }
  }
  if (scale <= 0) {
    fprintf(stderr, "gloo_peer_bench: iteration scale must be positive\n");
    return 2;
  }
  std::vector<size_t> sizes;
  std::stringstream list(sizes_text);
  for (std::string item; std::getline(list, item, ',');) {
    size_t bytes = parse_size(item);
    if (bytes == 0 || bytes % sizeof(float) != 0) {
      fprintf(stderr, "gloo_peer_bench: size must be a positive multiple of 4 bytes: %s\n", item.c_str());
      return 2;
    }
    sizes.push_back(bytes);
  }
  if (collective == "barrier") sizes = {0};
  size_t biggest = std::max<size_t>(sizeof(float), *std::max_element(sizes.begin(), sizes.end()));
  sbuf.assign(biggest / sizeof(float), (float)(rank_ + 1));
  rbuf.assign(biggest / sizeof(float), 0.0f);

  gloo::transport::tcp::attr attr;
  attr.hostname = "127.0.0.1";
  attr.ai_family = AF_INET;
  auto device = gloo::transport::tcp::CreateDevice(attr);
  gloo::rendezvous::FileStore store(store_dir);
  ctx = std::make_shared<gloo::rendezvous::Context>(rank_, nranks);
  ctx->setTimeout(std::chrono::milliseconds(300000));
  ctx->connectFullMesh(store, device);

  if (rank_ == 0) printf("library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps\n");
  bool ok = true;
  for (size_t bytes : sizes) ok = measure(collective, algorithm, bytes, scale, label) && ok;
  untimed_barrier();
  return ok ? 0 : 1;
}
