// Two operations have no handler: each error names the operation, its method and path, and the
// handler to write, at the block's type.
include!("petstore_api.rs");

struct Backend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api)]
impl Backend {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }
}

fn main() {}
