#include "domain/fee.h"

#include <doctest/doctest.h>

using namespace ogi;

TEST_CASE("per-application fee bands (国办函〔2020〕109号)") {
  struct Row {
    int nth;
    long long fee;
  } rows[] = {{1, 0},    {10, 0},   {11, 100}, {30, 100}, {31, 200},
              {40, 200}, {41, 300}, {50, 300}, {51, 400}};
  for (auto& r : rows) CHECK_MESSAGE(fee_per_application(r.nth) == r.fee, r.nth);
}

TEST_CASE("per-page fee is progressive by band") {
  struct Row {
    int pages;
    long long fee;
  } rows[] = {{0, 0},     {30, 0},     {31, 10},    {80, 500},  {100, 700},
              {101, 720}, {200, 2700}, {201, 2740}, {250, 4700}};
  for (auto& r : rows) CHECK_MESSAGE(fee_per_page(r.pages) == r.fee, r.pages);
}
