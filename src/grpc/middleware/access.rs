//! The access stack: the five checks, in the order they must run.

use std::sync::Arc;

use tower::{
    layer::util::{Identity, Stack},
    ServiceBuilder,
};

use super::{
    authenticate::Authenticate, expiry::CheckExpiry, gate::GateLayer, permission::CheckPermission,
    quota::CountQuota, rate_limit::RateLimit,
};
use crate::{access::Keyring, metrics::Metrics, usage::Store};

/// The keys and the usage store the access layers check against.
#[derive(Debug, Clone)]
pub struct AccessControl {
    /// The live key set.
    pub keyring: Arc<Keyring>,
    /// Rate buckets and quota counters.
    pub store: Store,
}

/// The stack's type, outermost first.
pub type AccessLayers = Stack<
    GateLayer<CountQuota>,
    Stack<
        GateLayer<RateLimit>,
        Stack<
            GateLayer<CheckPermission>,
            Stack<GateLayer<CheckExpiry>, Stack<GateLayer<Authenticate>, Identity>>,
        >,
    >,
>;

impl AccessControl {
    /// The layers, outermost first. The order is the point:
    /// 1. authenticate: nothing else is known until the caller is;
    /// 2. expiry: an expired key is refused before it can learn what it may do;
    /// 3. permission: a call the key may never make costs no rate or quota;
    /// 4. rate limit: a burst is refused before it is counted;
    /// 5. quota: last, so only calls every other rule admitted are counted.
    pub fn layers(&self, metrics: &Metrics) -> AccessLayers {
        ServiceBuilder::new()
            .layer(GateLayer::new(
                Authenticate::new(Arc::clone(&self.keyring)),
                metrics.clone(),
            ))
            .layer(GateLayer::new(CheckExpiry, metrics.clone()))
            .layer(GateLayer::new(CheckPermission, metrics.clone()))
            .layer(GateLayer::new(
                RateLimit::new(self.store.clone()),
                metrics.clone(),
            ))
            .layer(GateLayer::new(
                CountQuota::new(self.store.clone()),
                metrics.clone(),
            ))
            .into_inner()
    }
}
