// Entries of `unimplemented(...)` must be operationIds of the document, once each, and must not
// also have a handler.
include!("petstore_api.rs");

struct Backend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api, unimplemented(deletePets, "listPets", createPet, createPet))]
impl Backend {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }
}

fn main() {}
