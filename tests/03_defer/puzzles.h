// The notes' defer puzzles and Go's defer_test.go ideas, spelled with
// gort::Func. Each function names the Go program it mirrors in
// tools/groundtruth/defer/cases/main.go; the chapter README shows them
// side by side with the Go originals.
#ifndef GORT_TESTS_03_DEFER_PUZZLES_H_
#define GORT_TESTS_03_DEFER_PUZZLES_H_

#include <functional>
#include <string>

#include "include/gort/gort.h"
#include "tests/03_defer/test_util.h"

namespace gort::puzzles {

using gort::testing::Print;
using gort::testing::Println;

// loopPrintln: for i := 0; i < 5; i++ { defer fmt.Println(i) }
inline void LoopPrintln() {
  Func([](auto& f) {
    for (int i = 0; i < 5; i++) f.defer(Println<int>, i);
    return f.Return();
  });
}

// argsEvaluatedAtDefer: defer fmt.Println("Deferred print:", i) copies i.
inline void ArgsEvaluatedAtDefer() {
  Func([](auto& f) {
    int i = 1;
    f.defer(Println<const char*, int>, "Deferred print:", i);
    i++;
    Println("Normal print:", i);
    return f.Return();
  });
}

// rValue: func f1() (r int) { r = 1; defer func() { r++; ... }(); r = 2; return }
inline int RValue() {
  return Func<int>([](auto& f, int& r) {
    r = 1;
    f.defer([&] {
      r++;
      Println(" r value = ", r);
    });
    r = 2;
    return f.Return();
  });
}

// increase: func increase(d int) (ret int) { defer func() { ret++ }(); return d }
inline int Increase(int d) {
  return Func<int>([d](auto& f, int& ret) {
    f.defer([&] { ret++; });
    return f.Return(d);
  });
}

// chained: defer s.Add(1).Add(2).Add(4) — only the last call is deferred.
struct IntSlice {
  Slice<int> s;
  IntSlice* Add(int elem) {
    s = append(s, elem);
    Print(elem);
    return this;
  }
};

inline void Chained() {
  Func([](auto& f) {
    IntSlice s;
    f.defer(&IntSlice::Add, s.Add(1)->Add(2), 4);
    s.Add(3);
    return f.Return();
  });
}

// nestedCall: defer GetFn()() — GetFn runs now, its result later.
inline std::function<void()> GetFn() {
  Println("outside");
  return [] { Println("inside"); };
}

inline void NestedCall() {
  Func([](auto& f) {
    f.defer(GetFn());
    Println("main...");
    return f.Return();
  });
}

// showGet: defer show(get(1)); defer show(get(3)); fmt.Print(5)
inline void Show(int x) { Print(x + 1); }
inline int Get(int n) {
  Print(n);
  return n;
}

inline void ShowGet() {
  Func([](auto& f) {
    f.defer(Show, Get(1));
    f.defer(Show, Get(3));
    Print(5);
    return f.Return();
  });
}

// closureLoop: the closures share Go 1.19's one loop variable, which
// outlives the loop (it escapes): declared before the for here.
inline void ClosureLoop() {
  Func([](auto& f) {
    int i = 0;
    for (; i < 5; i++) f.defer([&i] { Println(i); });
    return f.Return();
  });
}

// argLoop: defer func(i int) { fmt.Println(i) }(i) copies each i.
inline void ArgLoop() {
  Func([](auto& f) {
    for (int i = 0; i < 5; i++) f.defer([](int i) { Println(i); }, i);
    return f.Return();
  });
}

// f1: func f1() (result int) { defer func() { result++ }(); return 0 }
inline int F1() {
  return Func<int>([](auto& f, int& result) {
    f.defer([&] { result++; });
    return f.Return(0);
  });
}

// f2: func f2() (r int) { t := 5; defer func() { t = t + 5 }(); return t }
inline int F2() {
  return Func<int>([](auto& f, int& /*r*/) {
    int t = 5;
    f.defer([&] { t = t + 5; });
    return f.Return(t);
  });
}

// f3: func f3() (r int) { defer func(r int) { r = r + 5 }(r); return 1 }
inline int F3() {
  return Func<int>([](auto& f, int& r) {
    f.defer([](int r) { r = r + 5; }, r);
    return f.Return(1);
  });
}

// f4: defer deferExec(t.Println) with t == nil. The method value binds
// the receiver (nil) when the defer runs; the call dereferences it later.
struct Test {
  int Max = 0;
};

// Go's nil check on a dereference (the hardware's fault and panicmem).
template <class T>
T& Deref(T* p) {
  if (p == nullptr) rt::panicmem();
  return *p;
}

inline void TestPrintln(Test* t) { Println(Deref(t).Max); }
inline void DeferExec(std::function<void()> f) { f(); }

inline void F4() {
  Func([](auto& f) {
    Test* t = nullptr;
    f.defer(DeferExec, std::function<void()>([t] { TestPrintln(t); }));
    static Test test;
    t = &test;  // t = new(Test): too late, the method value holds nil
    return f.Return();
  });
}

// testA / testB (notes 000): an argument versus a captured variable.
inline void TestA() {
  Func([](auto& f) {
    int a = 1, b = 2;
    f.defer([](int a) { Println(a); }, a);
    a += b;
    Println(std::to_string(a) + " - " + std::to_string(b));
    return f.Return();
  });
}

inline void TestB() {
  Func([](auto& f) {
    int a = 1, b = 2;
    f.defer([&a] { Println(a); });
    a += b;
    Println(std::to_string(a) + " - " + std::to_string(b));
    return f.Return();
  });
}

}  // namespace gort::puzzles

#endif  // GORT_TESTS_03_DEFER_PUZZLES_H_
