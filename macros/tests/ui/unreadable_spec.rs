// A document that cannot be read or parsed is an ordinary error at the `spec` argument, never a
// panic; the block stays as written, so nothing else in the crate breaks because of it.
struct Backend;

#[oas_macros::handlers(spec = "no/such/openapi.yaml")]
impl Backend {
    async fn list_pets(&self) {}
}

#[oas_macros::handlers(spec = "not_yaml.yaml")]
impl Backend {
    async fn create_pet(&self) {}
}

#[oas_macros::handlers(api = api)]
impl Backend {
    async fn delete_pet(&self) {}
}

fn main() {
    // The methods exist despite the errors above.
    let _ = Backend.list_pets();
    let _ = Backend.create_pet();
}
