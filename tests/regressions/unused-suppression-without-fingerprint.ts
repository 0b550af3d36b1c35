// leaklint-disable-line growing-array -- found by the fuzzer: unused-suppression findings had no fingerprint
const x = 1;
