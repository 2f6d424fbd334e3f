// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.0397,
    weights: [
        2.7506, // coverage
        2.3678, // lead
        1.2926, // ln_score
        1.6808, // matched_share
        0.2253, // title
        -0.3389, // head_missing
        0.0154, // head_elsewhere
        -0.8884, // aspect_missing
        -0.1704, // elsewhere_peak
        -0.6770, // unknown_share
        0.1692, // title_coverage
    ],
}
