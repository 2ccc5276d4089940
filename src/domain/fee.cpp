#include "domain/fee.h"

#include <algorithm>

namespace ogi {

long long fee_per_application(int nth) {
  if (nth <= 10) return 0;
  if (nth <= 30) return 100;
  return 100LL * (2 + (nth - 31) / 10);
}

long long fee_per_page(int pages) {
  struct Band {
    int from, to;
    long long rate;
  };
  static constexpr Band kBands[] = {{31, 100, 10}, {101, 200, 20}, {201, 1 << 30, 40}};
  long long total = 0;
  for (auto& b : kBands)
    if (pages >= b.from) total += b.rate * (std::min(pages, b.to) - b.from + 1);
  return total;
}

}  // namespace ogi
