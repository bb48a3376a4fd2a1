// A typo is reported from both sides: the operation misses its handler, and the method names no
// operation; each side suggests the other.
include!("petstore_api.rs");

struct Backend;

#[oas_macros::handlers(spec = "petstore.yaml", api = api)]
impl Backend {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        api::ListPetsResponse::Ok
    }

    async fn create_pet(&self, _request: api::CreatePetRequest) -> api::CreatePetResponse {
        api::CreatePetResponse::Created
    }

    async fn delete_pte(&self, _request: api::DeletePetRequest) -> api::DeletePetResponse {
        api::DeletePetResponse::NoContent
    }
}

fn main() {}
