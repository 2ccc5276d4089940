// The main of a fuzz target when it is not built with libFuzzer (OGI_FUZZ off): runs every file
// given, and every file in every folder given, once through LLVMFuzzerTestOneInput, in name
// order. libFuzzer's own options (-runs=0, ...) are accepted and ignored, so ctest gives the
// same command line to both kinds of build. A crash or a sanitizer report ends the process;
// otherwise it prints how many inputs it ran and exits 0 (1 when nothing was found to run).
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
// Present in sanitized builds: called before the process dies of a report.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {
// The input being run, named when the process dies of it (a sanitizer report, a signal or an
// uncaught exception), so a failing ctest says which file to look at.
const char* g_current = nullptr;
void name_current() {
  if (g_current) std::fprintf(stderr, "\nreplay: the input that failed: %s\n", g_current);
}
void on_signal(int sig) {
  name_current();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}
}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(name_current);
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_signal);
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    if (fs::is_directory(arg)) {
      std::vector<fs::path> in_dir;
      for (auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file()) in_dir.push_back(e.path());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or folder: %s\n", arg.c_str());
      return 1;
    }
  }
  for (auto& f : files) {
    const std::string name = f.string();
    g_current = name.c_str();
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  g_current = nullptr;
  std::printf("replay: %zu inputs ran without a crash\n", files.size());
  return files.empty() ? 1 : 0;
}
